package dev.wizmesh.order.db;

import java.time.Instant;
import java.util.UUID;

public record OrderRow(UUID id, UUID tenantId, UUID userId, String status, String statusReason, long totalCents,
                       String currency, String idempotencyKey, String requestHash, Instant createdAt, Instant updatedAt) {
}
