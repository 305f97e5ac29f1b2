package dev.wizmesh.user.grpc;

import dev.wizmesh.persistence.tenancy.TenantTransactions;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.transactions.fence.BranchId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The branch named by a WalletPaymentService message, as the fence's key (the payment's own
 * fields are checked by {@link dev.wizmesh.user.core.Payment}). Bad input is INVALID_ARGUMENT (code
 * BAD_REQUEST, details {@code reason} and {@code field}): final, the coordinator must not retry it.
 */
final class PaymentArguments {
    private PaymentArguments() {
    }

    /**
     * The branch, in the caller's tenant from the call's metadata (never from the message: a
     * service cannot pay from another tenant's wallet). xid 1 to 128 characters; branch 1 to 64,
     * without '/' (a step name, such as {@code debit-wallet}; the ledger key joins them with it).
     */
    static BranchId branch(String xid, String branch) {
        if (xid.isEmpty() || xid.length() > BranchId.MAX_XID_LENGTH) {
            throw invalid("xid", "xid must be 1 to " + BranchId.MAX_XID_LENGTH + " characters, was " + xid.length());
        }
        if (branch.isEmpty() || branch.length() > BranchId.MAX_BRANCH_LENGTH || branch.contains("/")) {
            throw invalid("branch", "branch must be 1 to " + BranchId.MAX_BRANCH_LENGTH
                    + " characters without '/', was '" + branch + "'");
        }
        return new BranchId(TenantTransactions.currentTenant(), xid, branch);
    }

    private static ApiException invalid(String field, String reason) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", reason);
        details.put("field", field);
        return new ApiException(ErrorCode.BAD_REQUEST, details);
    }
}
