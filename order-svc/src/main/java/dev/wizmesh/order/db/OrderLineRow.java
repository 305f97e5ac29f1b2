package dev.wizmesh.order.db;

import java.util.UUID;

public record OrderLineRow(UUID orderId, int lineNo, UUID productId, String name, int quantity, long unitPriceCents) {
}
