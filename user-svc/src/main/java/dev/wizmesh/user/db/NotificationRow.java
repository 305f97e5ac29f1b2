package dev.wizmesh.user.db;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code notifications}. */
public record NotificationRow(UUID id, UUID userId, UUID eventId, String type, UUID orderId, String status, String cancelReason,
                              Long totalCents, String currency, String message, Instant occurredAt, Instant createdAt) {
}
