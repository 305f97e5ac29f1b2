package dev.wizmesh.product.api;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * {@code PUT /api/v1/products/{id}/stock}: exactly one of
 * <ul>
 *   <li>{@code available}: set the available count (a stock take), 0 to 10^9;</li>
 *   <li>{@code adjustBy}: add to it (negative: remove), atomically, refused with 409
 *       INSUFFICIENT_STOCK rather than going below zero.</li>
 * </ul>
 * Reserved units belong to orders in flight and are not changed here.
 */
public record StockChangeRequest(
        @Min(0) @Max(ProductLimits.STOCK_MAX)
        Long available,
        @Min(-ProductLimits.STOCK_MAX) @Max(ProductLimits.STOCK_MAX)
        Long adjustBy) {

    /** Reported as the field {@code stock}: the body as a whole is what is wrong. */
    @AssertTrue(message = "give exactly one of available or adjustBy")
    public boolean isStock() {
        return (available == null) != (adjustBy == null);
    }
}
