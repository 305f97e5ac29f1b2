package dev.wizmesh.transactions;

/** The two patterns a {@link TransactionDefinition} can follow. */
public enum TransactionMode {
    /** Actions in order; on failure, the compensations of the started steps in reverse. */
    SAGA,
    /** Try every branch; then Confirm all, or Cancel all. */
    TCC
}
