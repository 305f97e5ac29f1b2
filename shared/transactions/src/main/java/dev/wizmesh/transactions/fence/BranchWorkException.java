package dev.wizmesh.transactions.fence;

/**
 * A branch's business work failed with a checked exception. (Unchecked ones, such as an
 * {@code ApiException} for insufficient stock, leave the fence as they are.) Either way the
 * caller's transaction must roll back, taking the fence row's change with it.
 */
public final class BranchWorkException extends RuntimeException {
    private final BranchId branchId;

    BranchWorkException(BranchId branchId, Exception cause) {
        super("The work of branch " + branchId + " failed: " + cause.getMessage(), cause);
        this.branchId = branchId;
    }

    public BranchId branchId() {
        return branchId;
    }
}
