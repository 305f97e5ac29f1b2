package dev.wizmesh.transactions.fence;

import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A step the branch's recorded state forbids: a Try after its Cancel (suspension), a Confirm
 * after a Cancel or without a Try, a Cancel after a Confirm. An {@link ApiException}, so a
 * participant's resource or gRPC service answers it with its catalogue code (409 / ABORTED or
 * FAILED_PRECONDITION) and the coordinator knows the step will never succeed: retrying is useless.
 */
public final class FenceRefusedException extends ApiException {
    private final BranchId branchId;
    private final FenceState found;

    private FenceRefusedException(ErrorCode code, BranchId branchId, FenceState found) {
        super(code, details(branchId, found));
        this.branchId = branchId;
        this.found = found;
    }

    static FenceRefusedException alreadyCancelled(BranchId id) {
        return new FenceRefusedException(ErrorCode.BRANCH_ALREADY_CANCELLED, id, FenceState.CANCELLED);
    }

    static FenceRefusedException alreadyConfirmed(BranchId id) {
        return new FenceRefusedException(ErrorCode.BRANCH_ALREADY_CONFIRMED, id, FenceState.CONFIRMED);
    }

    static FenceRefusedException notTried(BranchId id) {
        return new FenceRefusedException(ErrorCode.BRANCH_NOT_TRIED, id, null);
    }

    public BranchId branchId() {
        return branchId;
    }

    /** The state the fence found; empty when there was no row (never tried). */
    public Optional<FenceState> found() {
        return Optional.ofNullable(found);
    }

    private static Map<String, Object> details(BranchId id, FenceState found) {
        // no tenant id: the caller is that tenant already, and details reach the client
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("xid", id.xid());
        details.put("branch", id.branch());
        details.put("state", found == null ? "NONE" : found.name());
        return details;
    }
}
