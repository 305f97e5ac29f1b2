package dev.wizmesh.user.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.wizmesh.user.db.NotificationRow;
import java.time.Instant;
import java.util.UUID;

/**
 * One entry of a user's feed as the API shows it: what happened ({@code type}, e.g. {@code order.confirmed}), to
 * which order, a line to read ({@code message}), when it happened ({@code occurredAt}) and when the feed got it
 * ({@code createdAt}, the feed's order).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Notification(UUID id, String type, UUID orderId, String status, String cancelReason, Long totalCents, String currency,
                           String message, Instant occurredAt, Instant createdAt) {
    static Notification of(NotificationRow row) {
        return new Notification(row.id(), row.type(), row.orderId(), row.status(), row.cancelReason(), row.totalCents(),
                row.currency(), row.message(), row.occurredAt(), row.createdAt());
    }
}
