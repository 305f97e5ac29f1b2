package dev.wizmesh.transactions.fence;

import org.jdbi.v3.core.Handle;

/**
 * The participant's business work for one step of a branch (reserve stock, confirm it, release
 * it). It runs on the handle of the transaction that also moves the fence row, so the effect
 * and the fence state commit together or not at all. Throw to refuse the step: the exception
 * leaves the fence and rolls the caller's transaction back (when the caller lets it).
 */
@FunctionalInterface
public interface BranchWork {
    /** Work that changes nothing: a Confirm with nothing left to do, a saga step with no effect. */
    BranchWork NOTHING = handle -> { };

    void apply(Handle handle) throws Exception;
}
