package dev.wizmesh.order.db;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Orders and lines of the transaction's tenant (row-level security scopes every statement). */
@RegisterConstructorMapper(OrderRow.class)
@RegisterConstructorMapper(OrderLineRow.class)
public interface OrderDao {
    String COLUMNS = "id, tenant_id, user_id, status, status_reason, total_cents, currency, idempotency_key, "
            + "request_hash, created_at, updated_at";

    /** Inserts the order unless the buyer already used the key; empty then (the caller re-reads). */
    @SqlQuery("INSERT INTO orders (id, tenant_id, user_id, total_cents, currency, idempotency_key, request_hash) "
            + "VALUES (:id, :tenantId, :userId, :totalCents, :currency, :key, :hash) "
            + "ON CONFLICT (tenant_id, user_id, idempotency_key) DO NOTHING RETURNING id")
    Optional<UUID> insert(@Bind("id") UUID id, @Bind("tenantId") UUID tenantId, @Bind("userId") UUID userId,
                          @Bind("totalCents") long totalCents, @Bind("currency") String currency,
                          @Bind("key") String idempotencyKey, @Bind("hash") String requestHash);

    @SqlBatch("INSERT INTO order_lines (order_id, line_no, tenant_id, product_id, name, quantity, unit_price_cents) "
            + "VALUES (:orderId, :lineNo, :tenantId, :productId, :name, :quantity, :unitPriceCents)")
    void insertLines(@Bind("tenantId") UUID tenantId, @BindMethods List<OrderLineRow> lines);

    @SqlQuery("SELECT " + COLUMNS + " FROM orders WHERE id = :id")
    Optional<OrderRow> find(@Bind("id") UUID id);

    @SqlQuery("SELECT " + COLUMNS + " FROM orders WHERE user_id = :userId AND idempotency_key = :key")
    Optional<OrderRow> findByKey(@Bind("userId") UUID userId, @Bind("key") String idempotencyKey);

    @SqlQuery("SELECT order_id, line_no, product_id, name, quantity, unit_price_cents FROM order_lines "
            + "WHERE order_id IN (<ids>) ORDER BY order_id, line_no")
    List<OrderLineRow> lines(@BindList("ids") Collection<UUID> orderIds);

    /** A page of orders; {@code userId} null means the whole tenant's (an admin's view). */
    @SqlQuery("SELECT " + COLUMNS + " FROM orders "
            + "WHERE (CAST(:userId AS uuid) IS NULL OR user_id = :userId) "
            + "AND (CAST(:afterAt AS timestamptz) IS NULL OR (created_at, id) > (:afterAt, :afterId)) "
            + "ORDER BY created_at, id LIMIT :limit")
    List<OrderRow> page(@Bind("userId") UUID userId, @Bind("afterAt") Instant afterAt, @Bind("afterId") UUID afterId,
                        @Bind("limit") int limit);

    /**
     * The next {@code limit} PENDING orders created before {@code cutoff}, after the keyset cursor (null: from the
     * start), locked for this transaction: a placement transaction settling one at the same moment waits for us and
     * then finds it no longer PENDING (or we wait for it, and the re-checked row has left PENDING and drops out).
     */
    @SqlQuery("SELECT " + COLUMNS + " FROM orders "
            + "WHERE status = 'PENDING' AND created_at < :cutoff "
            + "AND (CAST(:afterAt AS timestamptz) IS NULL OR (created_at, id) > (:afterAt, :afterId)) "
            + "ORDER BY created_at, id LIMIT :limit FOR UPDATE")
    List<OrderRow> pendingCreatedBefore(@Bind("cutoff") Instant cutoff, @Bind("afterAt") Instant afterAt,
                                        @Bind("afterId") UUID afterId, @Bind("limit") int limit);

    /**
     * The CONFIRMED orders whose confirmation ({@code updated_at}: an order's last change, and CONFIRMED is final)
     * falls in [from, to), one row per currency: how many, their units (sum of line quantities) and their totals.
     */
    @SqlQuery("SELECT currency, count(*) AS orders, sum(units) AS units, sum(total_cents) AS amount_minor FROM ("
            + "  SELECT o.currency, o.total_cents, "
            + "         (SELECT COALESCE(sum(l.quantity), 0) FROM order_lines l WHERE l.order_id = o.id) AS units "
            + "    FROM orders o WHERE o.status = 'CONFIRMED' AND o.updated_at >= :from AND o.updated_at < :to) confirmed "
            + "GROUP BY currency ORDER BY currency")
    @RegisterConstructorMapper(SalesRow.class)
    List<SalesRow> confirmedBetween(@Bind("from") Instant from, @Bind("to") Instant to);

    /** PENDING → a final state; 0 rows when the order is no longer PENDING (someone got there first). */
    @SqlUpdate("UPDATE orders SET status = :status, status_reason = :reason, updated_at = now() "
            + "WHERE id = :id AND status = 'PENDING'")
    int settle(@Bind("id") UUID id, @Bind("status") String status, @Bind("reason") String reason);
}
