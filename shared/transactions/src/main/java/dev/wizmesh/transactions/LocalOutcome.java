package dev.wizmesh.transactions;

import org.jdbi.v3.core.Handle;

/**
 * The coordinating service's own change when the transaction ends (the order CONFIRMED or
 * CANCELLED), run in the same local transaction that records the ending: both happen, or neither.
 */
@FunctionalInterface
public interface LocalOutcome<D> {
    /** @param failure why it was compensated; null when it completed */
    void apply(Handle handle, D data, Failure failure) throws Exception;

    /** Why a transaction was compensated: a code ({@code OUT_OF_STOCK}, {@code TIMEOUT}, ...) and a message. */
    record Failure(String code, String message) {
    }

    static <D> LocalOutcome<D> nothing() {
        return (handle, data, failure) -> { };
    }
}
