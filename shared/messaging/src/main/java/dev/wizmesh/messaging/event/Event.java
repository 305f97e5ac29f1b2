package dev.wizmesh.messaging.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One event, as published on the {@code wizmesh.events} exchange: the JSON envelope
 * {@code {"id","type","occurredAt","tenantId","traceparent","data"}}.
 *
 * @param id          unique per event; the AMQP message-id, and what consumers deduplicate on
 * @param type        dotted lower-case name, e.g. {@code order.created}; also the routing key
 * @param occurredAt  when the change it announces happened (UTC)
 * @param tenantId    the tenant the change belongs to; consumers handle it in that tenant's transaction
 * @param traceparent the W3C trace context of the code that raised it, or null
 * @param data        the event's own fields (any JSON)
 */
public record Event(UUID id, String type, Instant occurredAt, UUID tenantId, String traceparent, JsonNode data) {
    private static final Pattern TYPE = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*");
    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    public Event {
        Objects.requireNonNull(id, "event id is required");
        Objects.requireNonNull(occurredAt, "event occurredAt is required");
        Objects.requireNonNull(tenantId, "event tenantId is required");
        requireValidType(type);
        if (traceparent != null && !TRACEPARENT.matcher(traceparent).matches()) {
            throw new IllegalArgumentException("traceparent must be a W3C traceparent (00-<32 hex>-<16 hex>-<2 hex>), got '"
                    + traceparent + "'");
        }
        data = data == null ? NullNode.getInstance() : data;
    }

    /** Routing keys are event types: a dotted lower-case name such as {@code order.created}. */
    public static String requireValidType(String type) {
        if (type == null || type.length() > 200 || !TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("event type must be dotted lower-case words such as 'order.created' "
                    + "(letters, digits, '-', '_'; at most 200 characters), got " + (type == null ? "null" : "'" + type + "'"));
        }
        return type;
    }

    /** The routing key it is published with on {@link EventExchange#NAME}. */
    public String routingKey() {
        return type;
    }
}
