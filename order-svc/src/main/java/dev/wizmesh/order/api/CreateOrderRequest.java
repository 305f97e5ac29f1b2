package dev.wizmesh.order.api;

import dev.wizmesh.order.core.OrderRequest;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.transactions.TransactionMode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /api/v1/orders}: what to buy, and optionally how ({@code mode}: saga or tcc; the
 * configured {@code transactions.mode} when absent). Prices are never taken from the client.
 */
public record CreateOrderRequest(@NotNull @Size(min = 1, max = 50) List<@Valid @NotNull Item> items,
                                 @Pattern(regexp = "(?i)saga|tcc", message = "must be saga or tcc") String mode) {

    public record Item(
            @NotBlank @Pattern(regexp = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
                    message = "must be a UUID") String productId,
            @NotNull @Min(1) @Max(1000) Integer quantity) {
    }

    /** The domain request; a product listed twice is a 422 (say the quantity once). */
    OrderRequest toOrderRequest() {
        Set<UUID> seen = new HashSet<>();
        List<Map<String, Object>> problems = new ArrayList<>();
        List<OrderRequest.Line> lines = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            UUID id = UUID.fromString(items.get(i).productId());
            if (!seen.add(id)) {
                problems.add(Map.of("field", "items[" + i + "].productId", "message", "appears more than once"));
            }
            lines.add(new OrderRequest.Line(id, items.get(i).quantity()));
        }
        if (!problems.isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, Map.of("count", problems.size(), "fields", problems));
        }
        return new OrderRequest(lines, mode == null ? null : TransactionMode.valueOf(mode.toUpperCase(java.util.Locale.ROOT)));
    }
}
