package dev.wizmesh.product.core;

import dev.wizmesh.persistence.Database;
import dev.wizmesh.persistence.SqlErrors;
import dev.wizmesh.persistence.tenancy.TenantTransactions;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.platform.paging.Page;
import dev.wizmesh.platform.paging.PageCursor;
import dev.wizmesh.product.db.ProductDao;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.JdbiException;

/**
 * The catalogue of the calling tenant: create, read, list, change and delete products. Every
 * operation runs in one transaction of the caller's tenant ({@code inCurrentTenant}), so
 * another tenant's product is simply not there: the same 404 as a product that never existed.
 */
public class ProductCatalog {
    private final Database database;

    public ProductCatalog(Database database) {
        this.database = database;
    }

    public Product create(NewProduct product) {
        UUID tenant = TenantTransactions.currentTenant();
        try {
            return database.tenants().inTenant(tenant, h -> h.attach(ProductDao.class).insert(
                    UUID.randomUUID(), tenant, product.sku(), product.name(), product.description(),
                    product.priceCents(), product.currency(), product.available()));
        } catch (JdbiException e) {
            // the unique index decides, so two concurrent creates of one SKU cannot both win
            if (SqlErrors.uniqueViolation(e, ProductDao.SKU_INDEX)) {
                throw new ApiException(ErrorCode.SKU_TAKEN, Map.of("sku", product.sku()), e);
            }
            throw e;
        }
    }

    public Product find(UUID id) {
        return database.tenants().inCurrentTenant(h -> h.attach(ProductDao.class).find(id))
                .orElseThrow(() -> ProductIds.notFound(id));
    }

    /**
     * The caller's tenant's products among {@code ids} (as another service sends them: strings),
     * with the ids that name none. One query, one transaction, however many ids.
     */
    public ProductLookup lookup(List<String> ids) {
        // the tenant first: a call without one is refused even when no id could match
        UUID tenant = TenantTransactions.currentTenant();
        ProductLookup.Request request = ProductLookup.Request.of(ids);
        List<Product> rows = request.ids().isEmpty()
                ? List.of()
                : database.tenants().inTenant(tenant,
                        h -> h.attach(ProductDao.class).findAll(request.ids().toArray(UUID[]::new)));
        return ProductLookup.of(request, rows);
    }

    /**
     * One page of the catalogue, oldest first. {@code query} (optional) keeps the products whose
     * name or SKU contains it, ignoring case; it is matched literally ({@code %} and {@code _}
     * are not wildcards).
     */
    public Page<Product> list(int limit, String cursor, String query) {
        PageCursor after = PageCursor.decode(cursor);
        String pattern = query == null || query.isBlank() ? null : "%" + escapeLike(query.strip()) + "%";
        List<Product> rows = database.tenants().inCurrentTenant(h -> h.attach(ProductDao.class).page(pattern,
                after == null ? null : after.createdAt(), after == null ? null : after.id(), limit + 1));
        return Page.of(rows, limit, p -> p, p -> new PageCursor(p.createdAt(), p.id()));
    }

    public Product update(UUID id, ProductChanges changes) {
        if (changes.isEmpty()) {
            return find(id);
        }
        return database.tenants().inCurrentTenant(h -> h.attach(ProductDao.class).update(
                        id, changes.name(), changes.description(), changes.priceCents(), changes.currency()))
                .orElseThrow(() -> ProductIds.notFound(id));
    }

    /**
     * Deletes a product: it disappears from every read and write, and its SKU is free again. The
     * row stays (see the migration) for orders and reservations that still name it.
     */
    public void delete(UUID id) {
        int deleted = database.tenants().inCurrentTenant(h -> h.attach(ProductDao.class).delete(id));
        if (deleted == 0) {
            throw ProductIds.notFound(id);
        }
    }

    static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
