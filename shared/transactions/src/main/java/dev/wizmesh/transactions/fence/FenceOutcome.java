package dev.wizmesh.transactions.fence;

/** What a fenced call did; every outcome is a success the participant may answer OK to. */
public enum FenceOutcome {
    /** The step was new: its business work ran and the fence moved on. */
    APPLIED,
    /** The step had already happened (a repeated call): nothing ran a second time. */
    DUPLICATE,
    /** A Cancel for a branch with no Try: recorded (so a late Try is refused), nothing undone. */
    EMPTY_ROLLBACK
}
