package dev.wizmesh.transactions;

/** One step's phase in the log. */
public enum StepState {
    /** Written and committed before each attempt: after a crash it may or may not have been applied. */
    RUNNING,
    SUCCEEDED,
    /** The last attempt failed in a way worth retrying (unreachable, timed out, 5xx-like). */
    FAILED,
    /** The participant said no for good (out of stock, insufficient funds): never retried. */
    REJECTED
}
