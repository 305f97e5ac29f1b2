package dev.wizmesh.transactions;

/** Which call of a step: the log keeps one entry per step and phase. */
public enum Phase {
    ACTION, COMPENSATION, TRY, CONFIRM, CANCEL;

    /** The forward call of a step in this mode. */
    public static Phase forward(TransactionMode mode) {
        return mode == TransactionMode.SAGA ? ACTION : TRY;
    }

    /** The call that undoes a step in this mode. */
    public static Phase undo(TransactionMode mode) {
        return mode == TransactionMode.SAGA ? COMPENSATION : CANCEL;
    }
}
