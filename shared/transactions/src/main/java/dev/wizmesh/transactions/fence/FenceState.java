package dev.wizmesh.transactions.fence;

/** Where a branch stands, as the {@code tx_fence} row of this participant records it. */
public enum FenceState {
    /** The Try (or saga action) committed with its business effect; Confirm or Cancel is due. */
    TRIED,
    /** Confirm ran after the Try. Final. */
    CONFIRMED,
    /** Cancel ran after the Try, or arrived before any Try (an empty rollback). Final: refuses a late Try. */
    CANCELLED
}
