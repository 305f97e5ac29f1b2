package dev.wizmesh.transactions.fence;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * The sweeper's read across all tenants, for an unscoped transaction only. Row-level security
 * shows an unscoped transaction no tenant's rows, so the transaction first turns on the
 * {@code recovery_read} policy of {@code tx_fence} ({@link #enableRecoveryRead()}): a SELECT-only
 * policy, so these queries can find branches but nothing here can change one. They return keys,
 * never business data; the sweeper acts on each key in a transaction of that key's tenant.
 */
interface FenceRecoveryDao {
    /** Local to the transaction ({@code true}): it ends with it, the pooled connection forgets it. */
    @SqlQuery("SELECT set_config('app.tx_recovery', 'on', true)")
    String enableRecoveryRead();

    /** Up to {@code limit} branches still TRIED whose reservation expired before {@code now}, oldest first. */
    @SqlQuery("SELECT tenant_id, xid, branch FROM tx_fence WHERE state = 'TRIED' AND expires_at < :now "
            + "ORDER BY expires_at LIMIT :limit")
    @RegisterConstructorMapper(BranchId.class)
    List<BranchId> expiredTries(@Bind("now") Instant now, @Bind("limit") int limit);

    /** The tenants that have finished rows last changed before {@code cutoff}. */
    @SqlQuery("SELECT DISTINCT tenant_id FROM tx_fence WHERE state <> 'TRIED' AND updated_at < :cutoff")
    List<UUID> tenantsWithFinishedBefore(@Bind("cutoff") Instant cutoff);
}
