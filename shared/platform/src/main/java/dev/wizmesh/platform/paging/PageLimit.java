package dev.wizmesh.platform.paging;

import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import java.util.List;
import java.util.Map;

/**
 * The {@code ?limit=} of a list: 1 to {@value #MAX}, {@value #DEFAULT} when absent. Taken as text
 * and parsed here, because a JAX-RS {@code int} parameter that does not parse is a bare 404 from
 * Jersey; here {@code limit=abc} or {@code limit=1000} is a 422 naming the field, like any other.
 */
public final class PageLimit {
    public static final int DEFAULT = 20;
    public static final int MAX = 100;

    private PageLimit() {
    }

    public static int parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return DEFAULT;
        }
        try {
            int limit = Integer.parseInt(raw.strip());
            if (limit >= 1 && limit <= MAX) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ApiException(ErrorCode.VALIDATION_FAILED, Map.of("count", 1, "fields",
                List.of(Map.of("field", "limit", "message", "must be a whole number from 1 to " + MAX))));
    }
}
