package dev.wizmesh.transactions.fence;

import java.util.Objects;
import java.util.UUID;

/**
 * Which branch of which distributed transaction, for which tenant: the fence's key.
 *
 * @param tenantId the tenant whose data the branch touches; the fence row is that tenant's
 * @param xid      the coordinator's global transaction id (1 to 128 characters)
 * @param branch   this participant's part in it, e.g. {@code "reserve-stock"} (1 to 64 characters)
 */
public record BranchId(UUID tenantId, String xid, String branch) {
    public static final int MAX_XID_LENGTH = 128;
    public static final int MAX_BRANCH_LENGTH = 64;

    public BranchId {
        Objects.requireNonNull(tenantId, "tenantId");
        requireLength("xid", xid, MAX_XID_LENGTH);
        requireLength("branch", branch, MAX_BRANCH_LENGTH);
    }

    private static void requireLength(String name, String value, int max) {
        Objects.requireNonNull(value, name);
        if (value.isEmpty() || value.length() > max) {
            throw new IllegalArgumentException(name + " must be 1 to " + max + " characters, was " + value.length());
        }
    }

    @Override
    public String toString() {
        return xid + "/" + branch + " (tenant " + tenantId + ")";
    }
}
