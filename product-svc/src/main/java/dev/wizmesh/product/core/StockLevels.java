package dev.wizmesh.product.core;

import dev.wizmesh.persistence.Database;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.product.db.ProductDao;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Stock of the caller's tenant's products. Every change is a single UPDATE whose WHERE clause
 * carries the rule, so concurrent changes serialise on the row lock in PostgreSQL and none is
 * lost; the CHECK constraints in the schema refuse a negative count whatever the code does.
 */
public class StockLevels {
    /** The most units one product may have available (the API's limit on a stock count). */
    public static final long MAX_AVAILABLE = 1_000_000_000L;

    private final Database database;

    public StockLevels(Database database) {
        this.database = database;
    }

    /** Sets the available count (a stock take); reserved units are not touched. */
    public Product setAvailable(UUID id, long available) {
        return database.tenants().inCurrentTenant(h -> h.attach(ProductDao.class).setAvailable(id, available))
                .orElseThrow(() -> ProductIds.notFound(id));
    }

    /**
     * Adds {@code delta} (negative: removes) to the available count, atomically. Refused with 409
     * INSUFFICIENT_STOCK when fewer than {@code -delta} units are available, with 409 CONFLICT
     * when the count would pass {@link #MAX_AVAILABLE}.
     */
    public Product adjustAvailable(UUID id, long delta) {
        return database.tenants().inCurrentTenant(h -> {
            ProductDao products = h.attach(ProductDao.class);
            Optional<Product> changed = products.adjustAvailable(id, delta, MAX_AVAILABLE);
            if (changed.isPresent()) {
                return changed.get();
            }
            // refused or absent: read it once to say which (the count is the one after the
            // concurrent changes that won, which is what the caller would see next)
            Product current = products.find(id).orElseThrow(() -> ProductIds.notFound(id));
            if (delta < 0) {
                throw new ApiException(ErrorCode.INSUFFICIENT_STOCK, Map.of(
                        "productId", id, "available", current.available(), "requested", -delta));
            }
            throw new ApiException(ErrorCode.CONFLICT, Map.of("reason", "product " + id + " has "
                    + current.available() + " available; adding " + delta + " would pass " + MAX_AVAILABLE));
        });
    }
}
