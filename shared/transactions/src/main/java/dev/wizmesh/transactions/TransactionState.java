package dev.wizmesh.transactions;

/** Where a distributed transaction stands; the same values as {@code tx_transactions.state}. */
public enum TransactionState {
    /** Forward: saga actions, or TCC Try, in order. */
    RUNNING,
    /** TCC only: every Try succeeded, so every branch is confirmed (retried until it is). */
    CONFIRMING,
    /** A step failed, was refused or timed out: compensations / Cancel, in reverse order. */
    COMPENSATING,
    /** Every action (saga) or Confirm (TCC) succeeded. */
    COMPLETED,
    /** Every started step was compensated or cancelled: as if it had never begun. */
    COMPENSATED,
    /** A compensation ran out of retries: the system cannot undo it alone; an operator must look. */
    FAILED_NEEDS_ATTENTION,
    /** An operator looked at a FAILED_NEEDS_ATTENTION transaction and marked it resolved. */
    RESOLVED;

    /** Nothing more will happen to it without an operator. */
    public boolean isFinal() {
        return this == COMPLETED || this == COMPENSATED || this == FAILED_NEEDS_ATTENTION || this == RESOLVED;
    }
}
