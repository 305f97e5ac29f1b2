package dev.wizmesh.order.core;

import dev.wizmesh.transactions.TransactionState;
import dev.wizmesh.transactions.log.TransactionDao;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Whether an order's placement transaction (saga or TCC, business key = the order id) is still running, read in
 * the caller's tenant transaction. While it runs, stock and money may be on their way, and the transaction itself
 * decides how the order ends (CONFIRMED, or CANCELLED by its compensation, with {@code TIMEOUT} past its
 * deadline); cancelling the order under its feet would leave them taken for a cancelled order. So a buyer's
 * cancel refuses such an order and the PENDING sweep leaves it.
 *
 * <p>"Running" is every state that is not {@link TransactionState#isFinal() final}: RUNNING, CONFIRMING,
 * COMPENSATING. A FAILED_NEEDS_ATTENTION transaction is final for this purpose: its compensation gave up, an
 * operator must look, and the order's outcome is a cancellation anyway.
 */
final class RunningTransactions {
    private RunningTransactions() {
    }

    /** The running transaction's mode in lower case ({@code saga}, {@code tcc}); empty when none runs. */
    static Optional<String> of(Handle h, UUID orderId) {
        return h.attach(TransactionDao.class).findByBusinessKey(orderId.toString())
                .filter(t -> !TransactionState.valueOf(t.state()).isFinal())
                .map(t -> t.mode().toLowerCase(Locale.ROOT));
    }
}
