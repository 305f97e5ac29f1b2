package dev.wizmesh.product.core;

import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Product ids as clients send them. A string that is not even a UUID names no product, so it is
 * the same 404 as an id that does not exist, never a 500 and never a hint about the format.
 */
public final class ProductIds {
    // the canonical 8-4-4-4-12 form only: UUID.fromString also accepts "1-2-3-4-5"
    private static final Pattern CANONICAL = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private ProductIds() {
    }

    /** The UUID the string spells, if it spells one. */
    public static Optional<UUID> parse(String id) {
        return id != null && CANONICAL.matcher(id).matches() ? Optional.of(UUID.fromString(id)) : Optional.empty();
    }

    /** The UUID of a path parameter; anything else is 404 PRODUCT_NOT_FOUND. */
    public static UUID require(String id) {
        return parse(id).orElseThrow(() -> notFound(id));
    }

    public static ApiException notFound(Object id) {
        String shown = String.valueOf(id);
        // a path segment can be anything a client typed: echo a bounded piece of it
        return new ApiException(ErrorCode.PRODUCT_NOT_FOUND,
                Map.of("productId", shown.length() > 64 ? shown.substring(0, 64) + "..." : shown));
    }
}
