package dev.wizmesh.product.db;

import dev.wizmesh.product.core.ReservationMode;
import dev.wizmesh.product.core.ReservationState;
import dev.wizmesh.product.core.ReservedLine;
import dev.wizmesh.transactions.fence.BranchId;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * {@code stock_reservations}: what each branch of a distributed transaction took from which
 * product. Attach it to the handle of the fenced tenant transaction, so the lines commit with
 * the fence row and the stock change, or not at all. Row-level security keeps every statement
 * to the transaction's tenant; the tenant in the key is the branch's, which is that tenant.
 */
@RegisterConstructorMapper(ReservedLine.class)
public interface StockReservationDao {
    String KEY = "tenant_id = :b.tenantId AND xid = :b.xid AND branch = :b.branch";

    @SqlUpdate("INSERT INTO stock_reservations (tenant_id, xid, branch, product_id, quantity, mode, state) "
            + "VALUES (:b.tenantId, :b.xid, :b.branch, :productId, :quantity, :mode, :state)")
    void insert(@BindMethods("b") BranchId branch, @Bind("productId") UUID productId, @Bind("quantity") long quantity,
                @Bind("mode") ReservationMode mode, @Bind("state") ReservationState state);

    /** The branch's lines in product id order: the order every step locks product rows in. */
    @SqlQuery("SELECT product_id, quantity, mode, state FROM stock_reservations WHERE " + KEY + " ORDER BY product_id")
    List<ReservedLine> lines(@BindMethods("b") BranchId branch);

    /** Moves every line of the branch that is {@code from} to {@code to}; returns how many moved. */
    @SqlUpdate("UPDATE stock_reservations SET state = :to, updated_at = now() WHERE " + KEY + " AND state = :from")
    int moveState(@BindMethods("b") BranchId branch, @Bind("from") ReservationState from, @Bind("to") ReservationState to);
}
