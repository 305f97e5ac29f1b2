package dev.wizmesh.product.core;

/** What a new product starts with (already validated at the edge). */
public record NewProduct(String sku, String name, String description, long priceCents, String currency,
                         long available) {
}
