package dev.wizmesh.bench.transactions.monolith;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Every statement of placing an order on the single database; called inside one tenant transaction. */
public interface SingleDatabaseDao {
    /** A product's name and price as the order fixes them. */
    record PricedProduct(UUID id, String name, long priceCents, String currency) {
    }

    /** A stored order as the buyer's retry finds it. */
    record OrderRow(UUID id, String status, String statusReason, long totalCents, String currency) {
    }

    /** One line as stored. */
    record LineRow(UUID orderId, int lineNo, UUID tenantId, UUID productId, String name, int quantity, long unitPriceCents) {
    }

    @SqlQuery("SELECT id, name, price_cents, currency FROM products WHERE id = ANY(:ids)")
    @RegisterConstructorMapper(PricedProduct.class)
    List<PricedProduct> prices(@Bind("ids") List<UUID> ids);

    /** 1 when the stock was there and is now taken, 0 when there is not enough. */
    @SqlUpdate("UPDATE products SET available = available - :quantity, updated_at = now() "
            + "WHERE id = :id AND available >= :quantity")
    int takeStock(@Bind("id") UUID id, @Bind("quantity") int quantity);

    /** The balance after the debit, or empty when it would go below zero. */
    @SqlQuery("UPDATE wallets SET balance_cents = balance_cents - :amount, updated_at = now() "
            + "WHERE user_id = :user AND balance_cents >= :amount RETURNING balance_cents")
    Optional<Long> debit(@Bind("user") UUID user, @Bind("amount") long amount);

    @SqlUpdate("INSERT INTO wallet_entries (id, tenant_id, user_id, amount_cents, kind, idempotency_key, balance_after) "
            + "VALUES (:id, :tenant, :user, -:amount, 'DEBIT', :key, :balanceAfter)")
    void recordDebit(@Bind("id") UUID id, @Bind("tenant") UUID tenant, @Bind("user") UUID user, @Bind("amount") long amount,
            @Bind("key") String key, @Bind("balanceAfter") long balanceAfter);

    /** 0 when the buyer already has an order under this key (a retry, or a request racing this one). */
    @SqlUpdate("INSERT INTO orders (id, tenant_id, user_id, status, status_reason, total_cents, currency, idempotency_key) "
            + "VALUES (:id, :tenant, :user, :status, :reason, :total, :currency, :key) ON CONFLICT DO NOTHING")
    int insertOrder(@Bind("id") UUID id, @Bind("tenant") UUID tenant, @Bind("user") UUID user, @Bind("status") String status,
            @Bind("reason") String reason, @Bind("total") long total, @Bind("currency") String currency, @Bind("key") String key);

    @SqlBatch("INSERT INTO order_lines (order_id, line_no, tenant_id, product_id, name, quantity, unit_price_cents) "
            + "VALUES (:orderId, :lineNo, :tenantId, :productId, :name, :quantity, :unitPriceCents)")
    void insertLines(@BindMethods List<LineRow> lines);

    @SqlQuery("SELECT id, status, status_reason, total_cents, currency FROM orders WHERE user_id = :user AND idempotency_key = :key")
    @RegisterConstructorMapper(OrderRow.class)
    Optional<OrderRow> findByKey(@Bind("user") UUID user, @Bind("key") String key);
}
