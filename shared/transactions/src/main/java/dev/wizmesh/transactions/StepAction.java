package dev.wizmesh.transactions;

/**
 * One call of a step: usually a participant's gRPC method with {@code call.timeout()} as its
 * deadline and {@code call.idempotencyKey()} (or {@code call.xid()} and the step name) as its key.
 * Return normally on success; throw {@link StepRejected} for a definitive no; anything else is
 * retried.
 */
@FunctionalInterface
public interface StepAction<D> {
    void apply(D data, StepCall call) throws Exception;
}
