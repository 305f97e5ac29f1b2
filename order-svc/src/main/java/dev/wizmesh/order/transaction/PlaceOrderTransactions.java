package dev.wizmesh.order.transaction;

import dev.wizmesh.order.core.OrderStatus;
import dev.wizmesh.order.db.OrderDao;
import dev.wizmesh.order.events.OrderEvents;
import dev.wizmesh.transactions.LocalOutcome;
import dev.wizmesh.transactions.RetryPolicy;
import dev.wizmesh.transactions.TransactionDefinition;
import dev.wizmesh.transactions.TransactionMode;
import dev.wizmesh.transactions.saga.Saga;
import dev.wizmesh.transactions.tcc.Tcc;
import java.time.Duration;
import java.util.Set;

/**
 * Placing an order across three services, written both ways. The order itself is order-svc's
 * local part: it was stored PENDING in the same local transaction that began the distributed
 * one, and it becomes CONFIRMED or CANCELLED in the same local transaction that records the end,
 * which also writes {@code order.confirmed} or {@code order.cancelled} to the outbox.
 *
 * <pre>
 *   saga   reserve-stock (product-svc)  action: take the units      compensation: give them back
 *          debit-wallet  (user-svc)     action: take the money      compensation: refund it
 *
 *   tcc    stock  (product-svc)  try: available → reserved   confirm: sold        cancel: → available
 *          wallet (user-svc)     try: balance → held         confirm: spent       cancel: → balance
 * </pre>
 */
public final class PlaceOrderTransactions {
    /** The reasons an order may be cancelled for ({@code cancelReason}). */
    private static final Set<String> REASONS = Set.of("OUT_OF_STOCK", "INSUFFICIENT_FUNDS", "PARTICIPANT_UNAVAILABLE", "TIMEOUT");

    private final TransactionDefinition<PlaceOrder> saga;
    private final TransactionDefinition<PlaceOrder> tcc;
    private final OrderEvents events;

    /**
     * @param retry     each action's and Try's policy
     * @param undoRetry each compensation's: out of it, the transaction needs an operator
     */
    public PlaceOrderTransactions(StockParticipant stock, WalletParticipant wallet, RetryPolicy retry, RetryPolicy undoRetry,
                                  Duration timeout, OrderEvents events) {
        this.events = java.util.Objects.requireNonNull(events, "events");
        this.saga = Saga.define("place-order-saga", PlaceOrder.class)
                .step("reserve-stock").participant(StockParticipant.SERVICE)
                    .action(stock::reserve).compensation(stock::release)
                    .retry(retry).compensationRetry(undoRetry)
                .step("debit-wallet").participant(WalletParticipant.SERVICE)
                    .action((order, call) -> {
                        if (order.totalCents() > 0) {
                            wallet.debit(order, call);
                        }
                    })
                    .compensation(wallet::refund)
                    .retry(retry).compensationRetry(undoRetry)
                .timeout(timeout)
                .onCompleted(this::confirmOrder)
                .onCompensated(this::cancelOrder)
                .build();
        this.tcc = Tcc.define("place-order-tcc", PlaceOrder.class)
                .branch("stock").participant(StockParticipant.SERVICE)
                    .tryWith(stock::tryReserve).confirm(stock::confirm).cancel(stock::cancel)
                    .tryRetry(retry)
                .branch("wallet").participant(WalletParticipant.SERVICE)
                    .tryWith((order, call) -> {
                        if (order.totalCents() > 0) {
                            wallet.tryHold(order, call);
                        }
                    })
                    .confirm((order, call) -> {
                        if (order.totalCents() > 0) {
                            wallet.confirm(order, call);
                        }
                    })
                    .cancel(wallet::cancel)
                    .tryRetry(retry)
                .timeout(timeout)
                .onCompleted(this::confirmOrder)
                .onCompensated(this::cancelOrder)
                .build();
    }

    public TransactionDefinition<PlaceOrder> saga() {
        return saga;
    }

    public TransactionDefinition<PlaceOrder> tcc() {
        return tcc;
    }

    public TransactionDefinition<PlaceOrder> forMode(TransactionMode mode) {
        return mode == TransactionMode.TCC ? tcc : saga;
    }

    /** PENDING → CONFIRMED and {@code order.confirmed}, both in the transaction that records the end. */
    private void confirmOrder(org.jdbi.v3.core.Handle handle, PlaceOrder order, LocalOutcome.Failure none) {
        if (handle.attach(OrderDao.class).settle(order.orderId(), OrderStatus.CONFIRMED.name(), null) == 1) {
            events.announce(handle, OrderEvents.CONFIRMED, order.orderId());
        }
    }

    /** PENDING → CANCELLED and {@code order.cancelled}, both in the transaction that records the end. */
    private void cancelOrder(org.jdbi.v3.core.Handle handle, PlaceOrder order, LocalOutcome.Failure failure) {
        if (handle.attach(OrderDao.class).settle(order.orderId(), OrderStatus.CANCELLED.name(), cancelReason(failure.code())) == 1) {
            events.announce(handle, OrderEvents.CANCELLED, order.orderId());
        }
    }

    /** The transaction's failure code as one of the order's cancel reasons; a fence refusal means a participant gave up waiting. */
    static String cancelReason(String failureCode) {
        if (failureCode == null) {
            return "PARTICIPANT_UNAVAILABLE";
        }
        if (REASONS.contains(failureCode)) {
            return failureCode;
        }
        return failureCode.startsWith("BRANCH_") ? "TIMEOUT" : "PARTICIPANT_UNAVAILABLE";
    }
}
