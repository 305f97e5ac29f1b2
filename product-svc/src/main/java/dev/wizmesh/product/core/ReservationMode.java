package dev.wizmesh.product.core;

/**
 * Which kind of distributed transaction a branch's reservation belongs to, as recorded with its
 * lines: it decides what the forward step did to the stock, and so what its undo gives back.
 */
public enum ReservationMode {
    /** Saga action (ReserveStock): the units left {@code available} for good; the undo puts them back there. */
    SAGA(ReservationState.TAKEN),
    /** TCC Try (TryReserve): the units moved {@code available -> reserved}; Confirm sells them, Cancel moves them back. */
    TCC(ReservationState.HELD);

    private final ReservationState afterForwardStep;

    ReservationMode(ReservationState afterForwardStep) {
        this.afterForwardStep = afterForwardStep;
    }

    /** The state of a line once its forward step committed (TAKEN or HELD). */
    public ReservationState afterForwardStep() {
        return afterForwardStep;
    }
}
