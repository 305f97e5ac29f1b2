package dev.wizmesh.product.db;

import dev.wizmesh.product.core.Product;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Products of the transaction's tenant. No statement names a tenant in its WHERE clause:
 * row-level security scopes every one of them to the tenant the transaction was opened for,
 * and the tenant id written on insert must equal it or PostgreSQL refuses the row. Deleted
 * products ({@code deleted_at} set) are invisible to every statement here.
 */
@RegisterConstructorMapper(Product.class)
public interface ProductDao {
    String COLUMNS = "id, tenant_id, sku, name, description, price_cents, currency, available, reserved, sold, "
            + "created_at, updated_at";

    /** The unique index behind 409 SKU_TAKEN. */
    String SKU_INDEX = "products_tenant_sku_key";

    @SqlQuery("INSERT INTO products (id, tenant_id, sku, name, description, price_cents, currency, available) "
            + "VALUES (:id, :tenantId, :sku, :name, :description, :priceCents, :currency, :available) "
            + "RETURNING " + COLUMNS)
    Product insert(@Bind("id") UUID id, @Bind("tenantId") UUID tenantId, @Bind("sku") String sku,
                   @Bind("name") String name, @Bind("description") String description,
                   @Bind("priceCents") long priceCents, @Bind("currency") String currency,
                   @Bind("available") long available);

    @SqlQuery("SELECT " + COLUMNS + " FROM products WHERE id = :id AND deleted_at IS NULL")
    Optional<Product> find(@Bind("id") UUID id);

    /** The live products among these ids (any order; absent ids are simply not returned). */
    @SqlQuery("SELECT " + COLUMNS + " FROM products WHERE id = ANY(:ids) AND deleted_at IS NULL")
    List<Product> findAll(@Bind("ids") UUID[] ids);

    /**
     * One page in (created_at, id) order after the cursor position (or from the start),
     * optionally only products whose name or SKU contains {@code pattern} (an ILIKE pattern
     * whose wildcards the caller has escaped with a backslash).
     */
    @SqlQuery("SELECT " + COLUMNS + " FROM products WHERE deleted_at IS NULL "
            + "AND (CAST(:pattern AS text) IS NULL OR name ILIKE :pattern OR sku ILIKE :pattern) "
            + "AND (CAST(:afterAt AS timestamptz) IS NULL OR (created_at, id) > (:afterAt, :afterId)) "
            + "ORDER BY created_at, id LIMIT :limit")
    List<Product> page(@Bind("pattern") String pattern, @Bind("afterAt") Instant afterAt,
                       @Bind("afterId") UUID afterId, @Bind("limit") int limit);

    /** A partial update: a null argument leaves its column as it is. */
    @SqlQuery("UPDATE products SET name = coalesce(CAST(:name AS text), name), "
            + "description = coalesce(CAST(:description AS text), description), "
            + "price_cents = coalesce(CAST(:priceCents AS bigint), price_cents), "
            + "currency = coalesce(CAST(:currency AS text), currency), "
            + "updated_at = now() WHERE id = :id AND deleted_at IS NULL RETURNING " + COLUMNS)
    Optional<Product> update(@Bind("id") UUID id, @Bind("name") String name, @Bind("description") String description,
                             @Bind("priceCents") Long priceCents, @Bind("currency") String currency);

    @SqlUpdate("UPDATE products SET deleted_at = now(), updated_at = now() WHERE id = :id AND deleted_at IS NULL")
    int delete(@Bind("id") UUID id);

    /** Sets the available count outright (a stock take). */
    @SqlQuery("UPDATE products SET available = :available, updated_at = now() "
            + "WHERE id = :id AND deleted_at IS NULL RETURNING " + COLUMNS)
    Optional<Product> setAvailable(@Bind("id") UUID id, @Bind("available") long available);

    /**
     * Changes the available count by {@code delta} in one statement: the row lock serialises
     * concurrent changes, and the WHERE clause refuses (no row returned) a change that would
     * take the count below zero or above {@code max}. No read-modify-write in Java, so no lost
     * update; the CHECK constraint would refuse a negative count even if this clause were wrong.
     */
    @SqlQuery("UPDATE products SET available = available + :delta, updated_at = now() "
            + "WHERE id = :id AND deleted_at IS NULL AND available + :delta BETWEEN 0 AND :max "
            + "RETURNING " + COLUMNS)
    Optional<Product> adjustAvailable(@Bind("id") UUID id, @Bind("delta") long delta, @Bind("max") long max);

    // ---- stock reservations of distributed transactions (StockReservations) ----

    /**
     * Locks the live products among {@code ids} until the transaction ends, in id order: every
     * transaction that reserves several products takes their row locks in the same order, so two
     * of them never wait on each other in a cycle (a deadlock). The rows read are the latest
     * committed ones, so the counts they show hold until this transaction ends.
     */
    @SqlQuery("SELECT " + COLUMNS + " FROM products WHERE id = ANY(:ids) AND deleted_at IS NULL "
            + "ORDER BY id FOR UPDATE")
    List<Product> lockInIdOrder(@Bind("ids") UUID[] ids);

    /** Saga action: the units leave {@code available} for good. 0 rows: not that many available. */
    @SqlUpdate("UPDATE products SET available = available - :quantity, updated_at = now() "
            + "WHERE id = :id AND deleted_at IS NULL AND available >= :quantity")
    int takeAvailable(@Bind("id") UUID id, @Bind("quantity") long quantity);

    /** TCC Try: the units move from {@code available} to {@code reserved}. 0 rows: not that many available. */
    @SqlUpdate("UPDATE products SET available = available - :quantity, reserved = reserved + :quantity, "
            + "updated_at = now() WHERE id = :id AND deleted_at IS NULL AND available >= :quantity")
    int holdAvailable(@Bind("id") UUID id, @Bind("quantity") long quantity);

    /**
     * TCC Confirm: the held units are sold, they leave {@code reserved}. Also for a product deleted
     * since its Try (the order took the units before it went), hence no {@code deleted_at} test.
     */
    @SqlUpdate("UPDATE products SET reserved = reserved - :quantity, updated_at = now() "
            + "WHERE id = :id AND reserved >= :quantity")
    int sellReserved(@Bind("id") UUID id, @Bind("quantity") long quantity);

    /** TCC Cancel: the held units go back from {@code reserved} to {@code available}, deleted product or not. */
    @SqlUpdate("UPDATE products SET reserved = reserved - :quantity, available = available + :quantity, "
            + "updated_at = now() WHERE id = :id AND reserved >= :quantity")
    int releaseReserved(@Bind("id") UUID id, @Bind("quantity") long quantity);

    /** Saga compensation: units a saga action took go back to {@code available}, deleted product or not. */
    @SqlUpdate("UPDATE products SET available = available + :quantity, updated_at = now() WHERE id = :id")
    int returnTaken(@Bind("id") UUID id, @Bind("quantity") long quantity);

    /**
     * Counts {@code quantity} more units sold (order-svc's {@code order.confirmed}); deleted products count too.
     * 0 rows when the product is not the tenant's.
     */
    @SqlUpdate("UPDATE products SET sold = sold + :quantity WHERE id = :id")
    int addSold(@Bind("id") UUID id, @Bind("quantity") long quantity);
}
