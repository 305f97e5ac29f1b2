package dev.wizmesh.order.core;

/**
 * Where an order is in its life. PENDING is the only state that changes: to CONFIRMED when the
 * order's transaction (Saga or TCC) reserved the stock and took the payment, to CANCELLED when
 * the buyer or an admin cancels it, or the transaction compensates.
 */
public enum OrderStatus {
    PENDING, CONFIRMED, CANCELLED;

    public boolean isFinal() {
        return this != PENDING;
    }
}
