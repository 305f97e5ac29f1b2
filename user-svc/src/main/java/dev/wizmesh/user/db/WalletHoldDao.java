package dev.wizmesh.user.db;

import dev.wizmesh.transactions.fence.BranchId;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The {@code wallet_holds} rows of the transaction's tenant: one per payment branch, keyed like
 * its fence row. Always used under the fence, which has locked the branch's fence row already,
 * so no two transactions change one hold row at once.
 */
@RegisterConstructorMapper(WalletHoldRow.class)
public interface WalletHoldDao {
    String KEY = "xid = :b.xid AND branch = :b.branch";

    /** @return false when the branch already has a row (its fence row was deleted after retention, and the Try came again) */
    @SqlUpdate("INSERT INTO wallet_holds (tenant_id, xid, branch, user_id, amount_cents, mode, state) "
            + "VALUES (:b.tenantId, :b.xid, :b.branch, :userId, :amountCents, :mode, :state) "
            + "ON CONFLICT (tenant_id, xid, branch) DO NOTHING")
    boolean insert(@BindMethods("b") BranchId id, @Bind("userId") UUID userId, @Bind("amountCents") long amountCents,
                   @Bind("mode") String mode, @Bind("state") String state);

    @SqlQuery("SELECT xid, branch, user_id, amount_cents, mode, state FROM wallet_holds WHERE " + KEY)
    Optional<WalletHoldRow> find(@BindMethods("b") BranchId id);

    @SqlUpdate("UPDATE wallet_holds SET state = :state, updated_at = now() WHERE " + KEY)
    int moveTo(@BindMethods("b") BranchId id, @Bind("state") String state);
}
