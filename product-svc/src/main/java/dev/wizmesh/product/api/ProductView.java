package dev.wizmesh.product.api;

import dev.wizmesh.product.core.Product;
import java.time.Instant;
import java.util.UUID;

/**
 * A product as the API shows it: {@code {"id","sku","name","description","priceCents",
 * "currency","stock":{"available","reserved"},"sold","createdAt","updatedAt"}}. The tenant is left out:
 * the caller only ever sees its own. {@code sold}: units of confirmed orders, counted from order-svc's
 * {@code order.confirmed} events (so it follows the orders by a moment).
 */
public record ProductView(UUID id, String sku, String name, String description, long priceCents, String currency,
                          StockView stock, long sold, Instant createdAt, Instant updatedAt) {

    public record StockView(long available, long reserved) {
    }

    static ProductView of(Product p) {
        return new ProductView(p.id(), p.sku(), p.name(), p.description(), p.priceCents(), p.currency(),
                new StockView(p.available(), p.reserved()), p.sold(), p.createdAt(), p.updatedAt());
    }
}
