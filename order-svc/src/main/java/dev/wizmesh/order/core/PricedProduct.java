package dev.wizmesh.order.core;

import java.util.UUID;

/** A product as product-svc prices it right now. */
public record PricedProduct(UUID id, String name, long priceCents, String currency) {
}
