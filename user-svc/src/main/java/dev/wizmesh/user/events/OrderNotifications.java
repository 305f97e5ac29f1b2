package dev.wizmesh.user.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wizmesh.messaging.consumer.MessageHandler;
import dev.wizmesh.messaging.event.Event;
import dev.wizmesh.user.db.NotificationDao;
import dev.wizmesh.user.db.NotificationRow;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Turns order-svc's events into the buyer's notifications: {@code order.created} ("placed"),
 * {@code order.confirmed}, {@code order.cancelled} (with the reason). Runs in the consumer's transaction of the
 * event's tenant, together with the inbox record, so a redelivered event adds nothing. An event without a
 * {@code userId} UUID is refused (an exception): retried, then dead-lettered for an operator.
 */
public final class OrderNotifications implements MessageHandler {
    /** The queue user-svc consumes order events from, and what it binds it to. */
    public static final String QUEUE = "user-svc.order-events";
    public static final List<String> BINDINGS = List.of("order.created", "order.confirmed", "order.cancelled");

    @Override
    public void handle(Handle h, Event event) {
        JsonNode data = event.data();
        UUID userId = uuid(event, data, "userId");
        UUID orderId = data.hasNonNull("orderId") ? uuid(event, data, "orderId") : null;
        Long total = data.path("totalCents").isIntegralNumber() ? data.get("totalCents").asLong() : null;
        String currency = text(data, "currency");
        if (currency != null && !currency.matches("[A-Z]{3}")) {
            currency = null;
        }
        String reason = text(data, "cancelReason");
        NotificationRow row = new NotificationRow(UUID.randomUUID(), userId, event.id(), event.type(), orderId, text(data, "status"),
                reason, total, currency, message(event.type(), orderId, total, currency, reason), event.occurredAt(), null);
        h.attach(NotificationDao.class).insert(event.tenantId(), row);
    }

    /** One line a person reads, e.g. "Your order 3f2a9c1e is confirmed: 34.99 EUR". */
    static String message(String type, UUID orderId, Long totalCents, String currency, String reason) {
        String order = "Your order" + (orderId == null ? "" : " " + orderId.toString().substring(0, 8));
        String amount = totalCents == null || currency == null ? "" : ": " + money(totalCents, currency);
        return switch (type) {
            case "order.created" -> order + " was placed" + amount;
            case "order.confirmed" -> order + " is confirmed" + amount;
            case "order.cancelled" -> order + " was cancelled" + (reason == null ? "" : " (" + reason + ")");
            default -> order + ": " + type;
        };
    }

    private static String money(long minorUnits, String currency) {
        int digits;
        try {
            digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        } catch (IllegalArgumentException e) {
            digits = 2;
        }
        return BigDecimal.valueOf(minorUnits).movePointLeft(digits).toPlainString() + " " + currency;
    }

    private static String text(JsonNode data, String field) {
        JsonNode value = data.path(field);
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    private static UUID uuid(Event event, JsonNode data, String field) {
        try {
            return UUID.fromString(data.path(field).asText(""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(event.type() + " " + event.id() + " has no " + field + " UUID", e);
        }
    }
}
