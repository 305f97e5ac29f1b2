package dev.wizmesh.order.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.wizmesh.order.db.OrderLineRow;
import dev.wizmesh.order.db.OrderRow;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An order as clients read it. {@code cancelReason} says why a CANCELLED order was: OUT_OF_STOCK,
 * INSUFFICIENT_FUNDS, PARTICIPANT_UNAVAILABLE or TIMEOUT (its transaction compensated), or who
 * cancelled it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Order(UUID id, UUID userId, OrderStatus status, String cancelReason, List<Item> items, long totalCents,
                    String currency, Instant createdAt, Instant updatedAt) {

    /** A line: the product's name and price as they were when the order was placed. */
    public record Item(UUID productId, String name, int quantity, long unitPriceCents) {
    }

    static Order of(OrderRow row, List<OrderLineRow> lines) {
        List<Item> items = lines.stream()
                .map(l -> new Item(l.productId(), l.name(), l.quantity(), l.unitPriceCents()))
                .toList();
        return new Order(row.id(), row.userId(), OrderStatus.valueOf(row.status()), row.statusReason(), items,
                row.totalCents(), row.currency(), row.createdAt(), row.updatedAt());
    }
}
