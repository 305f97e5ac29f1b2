package dev.wizmesh.product.core;

import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The lines of a ReserveStock or TryReserve request, checked and ready to lock: one line per
 * product (an order naming a product twice reserves the sum once), in {@link StockLine#LOCK_ORDER}.
 * Anything malformed is 400 BAD_REQUEST (gRPC INVALID_ARGUMENT) naming the line, before any
 * transaction starts.
 */
public record StockLines(List<StockLine> lines) {
    /** More lines than any order has: a bound on the rows one call may lock. */
    public static final int MAX_LINES = 1000;
    /** The most units one line may ask for. */
    public static final long MAX_QUANTITY = 100_000;

    /** A line as another service sends it: the product id as a string. */
    public record Asked(String productId, long quantity) {
    }

    public static StockLines of(List<Asked> asked) {
        if (asked.isEmpty()) {
            throw badRequest("lines must name at least one product");
        }
        if (asked.size() > MAX_LINES) {
            throw badRequest("at most " + MAX_LINES + " lines per call, got " + asked.size());
        }
        Map<UUID, Long> merged = new TreeMap<>(StockLine.LOCK_ORDER);
        for (int i = 0; i < asked.size(); i++) {
            Asked line = asked.get(i);
            int index = i;
            UUID id = ProductIds.parse(line.productId()).orElseThrow(() ->
                    badRequest("lines[" + index + "].product_id is not a UUID"));
            if (line.quantity() < 1 || line.quantity() > MAX_QUANTITY) {
                throw badRequest("lines[" + index + "].quantity must be 1 to " + MAX_QUANTITY + ", was " + line.quantity());
            }
            merged.merge(id, line.quantity(), Long::sum);
        }
        List<StockLine> lines = new ArrayList<>();
        merged.forEach((id, quantity) -> lines.add(new StockLine(id, quantity)));
        return new StockLines(List.copyOf(lines));
    }

    /** The products, in lock order. */
    public UUID[] productIds() {
        return lines.stream().map(StockLine::productId).toArray(UUID[]::new);
    }

    static ApiException badRequest(String reason) {
        return new ApiException(ErrorCode.BAD_REQUEST, Map.of("reason", reason));
    }
}
