package dev.wizmesh.order.events;

import dev.wizmesh.messaging.event.Event;
import dev.wizmesh.messaging.outbox.Outbox;
import dev.wizmesh.order.db.OrderDao;
import dev.wizmesh.order.db.OrderLineRow;
import dev.wizmesh.order.db.OrderRow;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The order lifecycle events, written to the outbox in the same local transaction as the change they announce
 * (the relay publishes them to {@code wizmesh.events} afterwards): {@code order.created} with the insert,
 * {@code order.confirmed} / {@code order.cancelled} with the settling update. The event's data is the order as
 * that transaction sees it, read back from its own rows; the aggregate is the order, so one order's events are
 * published in the order they were raised.
 */
public final class OrderEvents {
    public static final String CREATED = "order.created";
    public static final String CONFIRMED = "order.confirmed";
    public static final String CANCELLED = "order.cancelled";

    /** The event's {@code data}. */
    public record OrderData(UUID orderId, UUID userId, String status, String cancelReason, long totalCents, String currency,
                            List<Line> lines) {
    }

    public record Line(UUID productId, int quantity, long unitPriceCents) {
    }

    private final Outbox outbox;

    public OrderEvents(Outbox outbox) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
    }

    /**
     * Adds {@code type} for {@code orderId} to the outbox; {@code h} is the (tenant's) transaction that just
     * changed the order.
     */
    public Event announce(Handle h, String type, UUID orderId) {
        OrderDao orders = h.attach(OrderDao.class);
        OrderRow row = orders.find(orderId)
                .orElseThrow(() -> new IllegalStateException("order " + orderId + " is not visible in the transaction announcing it"));
        List<Line> lines = orders.lines(List.of(orderId)).stream()
                .map(OrderEvents::line)
                .toList();
        OrderData data = new OrderData(row.id(), row.userId(), row.status(), row.statusReason(), row.totalCents(), row.currency(),
                lines);
        return outbox.add(h, row.tenantId(), orderId.toString(), type, data);
    }

    private static Line line(OrderLineRow row) {
        return new Line(row.productId(), row.quantity(), row.unitPriceCents());
    }
}
