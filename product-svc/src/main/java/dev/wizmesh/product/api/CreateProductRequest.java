package dev.wizmesh.product.api;

import dev.wizmesh.product.core.NewProduct;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /api/v1/products}. {@code description} defaults to empty and {@code stock} (the
 * units available at creation) to 0; every other field is required.
 */
public record CreateProductRequest(
        @NotNull @Size(min = 1, max = ProductLimits.SKU_MAX)
        @Pattern(regexp = ProductLimits.SKU_PATTERN,
                message = "must be letters, digits, '.', '_' or '-', starting with a letter or digit")
        String sku,
        @NotNull @Size(min = 1, max = ProductLimits.NAME_MAX)
        @Pattern(regexp = ProductLimits.NOT_BLANK, message = "must not be blank")
        String name,
        @Size(max = ProductLimits.DESCRIPTION_MAX)
        String description,
        @NotNull @Min(0) @Max(ProductLimits.PRICE_MAX)
        Long priceCents,
        @NotNull @CurrencyCode
        String currency,
        @Min(0) @Max(ProductLimits.STOCK_MAX)
        Long stock) {

    NewProduct toNewProduct() {
        return new NewProduct(sku, name, description == null ? "" : description, priceCents, currency,
                stock == null ? 0 : stock);
    }
}
