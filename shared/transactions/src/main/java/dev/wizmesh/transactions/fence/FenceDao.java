package dev.wizmesh.transactions.fence;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The {@code tx_fence} rows of the transaction's tenant. Attach it to a tenant transaction's
 * handle: row-level security keeps every statement to that tenant's rows, and refuses a row
 * written for another tenant.
 */
interface FenceDao {
    String KEY = "tenant_id = :b.tenantId AND xid = :b.xid AND branch = :b.branch";

    /**
     * Writes the branch's first row, or nothing when it has one. With a concurrent, uncommitted
     * insert of the same key PostgreSQL waits for that transaction to end, then either inserts
     * (it rolled back) or does nothing (it committed): never a duplicate-key error.
     *
     * @return true when this call created the row
     */
    @SqlUpdate("INSERT INTO tx_fence (tenant_id, xid, branch, state, created_at, updated_at, expires_at) "
            + "VALUES (:b.tenantId, :b.xid, :b.branch, :state, :now, :now, :expiresAt) "
            + "ON CONFLICT (tenant_id, xid, branch) DO NOTHING")
    boolean insertIfAbsent(@BindMethods("b") BranchId id, @Bind("state") FenceState state,
                           @Bind("now") Instant now, @Bind("expiresAt") Instant expiresAt);

    /**
     * The branch's state, with its row locked until the transaction ends: concurrent calls for
     * one branch take turns here, each seeing what the previous one committed.
     */
    @SqlQuery("SELECT state FROM tx_fence WHERE " + KEY + " FOR UPDATE")
    Optional<FenceState> lockState(@BindMethods("b") BranchId id);

    /** The branch's state as committed, without locking. */
    @SqlQuery("SELECT state FROM tx_fence WHERE " + KEY)
    Optional<FenceState> state(@BindMethods("b") BranchId id);

    @SqlUpdate("UPDATE tx_fence SET state = :state, updated_at = :now WHERE " + KEY)
    int moveTo(@BindMethods("b") BranchId id, @Bind("state") FenceState state, @Bind("now") Instant now);

    /**
     * Deletes up to {@code limit} of the tenant's finished (CONFIRMED or CANCELLED) rows last
     * changed before {@code cutoff}. A TRIED row is never deleted: its branch is still open.
     */
    @SqlUpdate("DELETE FROM tx_fence WHERE state <> 'TRIED' AND updated_at < :cutoff AND (xid, branch) IN ("
            + "SELECT xid, branch FROM tx_fence WHERE state <> 'TRIED' AND updated_at < :cutoff LIMIT :limit)")
    int deleteFinishedBefore(@Bind("cutoff") Instant cutoff, @Bind("limit") int limit);
}
