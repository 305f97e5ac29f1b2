package dev.wizmesh.messaging.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.wizmesh.messaging.event.Event;
import dev.wizmesh.messaging.event.EventJson;
import dev.wizmesh.messaging.event.TraceParents;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Writes events into the outbox table inside the caller's transaction: the business change and the event that
 * announces it commit together or not at all. Nothing is sent here; {@link OutboxRelay} publishes committed
 * rows afterwards.
 *
 * <pre>{@code
 * database.tenants().inTenant(tenant, h -> {
 *     h.attach(OrderDao.class).insert(order);
 *     outbox.add(h, tenant, order.id().toString(), "order.created", Map.of("orderId", order.id(), "total", order.total()));
 *     return order;
 * });
 * }</pre>
 */
public final class Outbox {
    private final Clock clock;

    public Outbox(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Builds an event (new id, now, the current trace's traceparent) and adds it.
     *
     * @param h           a handle of a transaction of {@code tenantId} (Database.tenants().inTenant)
     * @param aggregateId what the event is about (an order id): events of one aggregate are published in order
     * @param type        the event type and routing key, e.g. {@code order.created}
     * @param data        the event's fields, anything Jackson can write (a record, a map)
     */
    public Event add(Handle h, UUID tenantId, String aggregateId, String type, Object data) {
        Objects.requireNonNull(tenantId, "tenantId is required");
        Event event = new Event(UUID.randomUUID(), type, clock.instant(), tenantId, TraceParents.current(), EventJson.toData(data));
        add(h, aggregateId, event);
        return event;
    }

    /** Adds a ready-made event (its tenant must be the transaction's: row-level security refuses any other). */
    public void add(Handle h, String aggregateId, Event event) {
        Objects.requireNonNull(h, "a handle of the caller's transaction is required");
        Objects.requireNonNull(event, "event is required");
        if (aggregateId == null || aggregateId.isBlank() || aggregateId.length() > 200) {
            throw new IllegalArgumentException("aggregateId must be 1 to 200 characters, got "
                    + (aggregateId == null ? "null" : "'" + aggregateId + "'"));
        }
        if (!h.isInTransaction()) {
            // outside a transaction the row would commit on its own, whatever happens to the business change
            throw new IllegalStateException("Outbox.add must run inside the transaction of the change it announces");
        }
        h.attach(OutboxDao.class).insert(event.id(), event.tenantId(), aggregateId, event.type(), EventJson.toJson(event),
                headers(event), clock.instant());
    }

    private static String headers(Event event) {
        try {
            return EventJson.mapper().writeValueAsString(
                    event.traceparent() == null ? Map.of() : Map.of(TraceParents.HEADER, event.traceparent()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
