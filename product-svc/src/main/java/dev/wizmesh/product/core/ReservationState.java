package dev.wizmesh.product.core;

/**
 * Where a reserved line stands ({@code stock_reservations.state}). The fence decides which step
 * may run; this state is the table's own record of what the steps did, kept after the fence's
 * row is deleted at the end of its retention.
 */
public enum ReservationState {
    /** A saga action took the units from {@code available}. */
    TAKEN,
    /** A TCC Try moved the units to {@code reserved}, waiting for Confirm or Cancel. */
    HELD,
    /** Confirmed: the held units were sold and left {@code reserved}. */
    SOLD,
    /** Undone (saga compensation, TCC Cancel, or the sweeper): the units are back in {@code available}. */
    RETURNED
}
