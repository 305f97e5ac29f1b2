package dev.wizmesh.product.core;

import java.time.Instant;
import java.util.UUID;

/**
 * A product of the caller's tenant, as the catalogue knows it. The DAO maps rows straight into
 * it (column {@code price_cents} into {@code priceCents}, and so on). {@code sold} counts the units of
 * confirmed orders, kept from order-svc's {@code order.confirmed} events.
 */
public record Product(UUID id, UUID tenantId, String sku, String name, String description, long priceCents,
                      String currency, long available, long reserved, long sold, Instant createdAt, Instant updatedAt) {
}
