package dev.wizmesh.product.api;

import dev.wizmesh.product.core.ProductChanges;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code PATCH /api/v1/products/{id}}: only the fields present change; an absent (or null) field
 * is left as it is. SKU and stock are not here: a SKU is the product's identity on the shelf, and
 * stock has its own endpoint with its own rules.
 */
public record UpdateProductRequest(
        @Size(min = 1, max = ProductLimits.NAME_MAX)
        @Pattern(regexp = ProductLimits.NOT_BLANK, message = "must not be blank")
        String name,
        @Size(max = ProductLimits.DESCRIPTION_MAX)
        String description,
        @Min(0) @Max(ProductLimits.PRICE_MAX)
        Long priceCents,
        @CurrencyCode
        String currency) {

    ProductChanges toChanges() {
        return new ProductChanges(name, description, priceCents, currency);
    }
}
