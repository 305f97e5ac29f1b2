package dev.wizmesh.order.core;

import dev.wizmesh.order.db.OrderDao;
import dev.wizmesh.order.db.OrderLineRow;
import dev.wizmesh.order.db.OrderRow;
import dev.wizmesh.order.events.OrderEvents;
import dev.wizmesh.persistence.Database;
import dev.wizmesh.platform.context.RequestContext;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.platform.paging.Page;
import dev.wizmesh.platform.paging.PageCursor;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Reading and cancelling orders. A buyer sees their own orders; an admin sees the tenant's. An
 * order the caller may not see is a 404, the same as one that does not exist.
 */
public final class OrderBook {
    private final Database database;
    private final OrderEvents events;

    public OrderBook(Database database, OrderEvents events) {
        this.database = database;
        this.events = events;
    }

    public Order find(UUID id) {
        UUID viewer = viewer();
        return database.tenants().inCurrentTenant(h -> {
            OrderDao orders = h.attach(OrderDao.class);
            OrderRow row = orders.find(id).filter(o -> viewer == null || o.userId().equals(viewer))
                    .orElseThrow(() -> notFound(id));
            return Order.of(row, orders.lines(List.of(id)));
        });
    }

    public Page<Order> list(int limit, String cursor) {
        UUID viewer = viewer();
        PageCursor after = PageCursor.decode(cursor);
        return database.tenants().inCurrentTenant(h -> {
            OrderDao orders = h.attach(OrderDao.class);
            List<OrderRow> rows = orders.page(viewer, after == null ? null : after.createdAt(),
                    after == null ? null : after.id(), limit + 1);
            List<OrderRow> shown = rows.size() > limit ? rows.subList(0, limit) : rows;
            Map<UUID, List<OrderLineRow>> lines = shown.isEmpty() ? Map.of()
                    : orders.lines(shown.stream().map(OrderRow::id).toList()).stream()
                            .collect(Collectors.groupingBy(OrderLineRow::orderId));
            return Page.of(rows, limit, row -> Order.of(row, lines.getOrDefault(row.id(), List.of())),
                    row -> new PageCursor(row.createdAt(), row.id()));
        });
    }

    /**
     * PENDING → CANCELLED (and {@code order.cancelled} in the outbox, same transaction), for an order no transaction is settling; an order already final, or
     * whose transaction is still running, is a 409 naming its state.
     */
    public Order cancel(UUID id) {
        UUID viewer = viewer();
        return database.tenants().inCurrentTenant(h -> {
            OrderDao orders = h.attach(OrderDao.class);
            OrderRow row = orders.find(id).filter(o -> viewer == null || o.userId().equals(viewer))
                    .orElseThrow(() -> notFound(id));
            // a PENDING order's transaction decides how it ends: stock and money may be on their
            // way; cancelling under its feet would leave them taken for a cancelled order
            RunningTransactions.of(h, id).ifPresent(mode -> {
                throw new ApiException(ErrorCode.ORDER_NOT_CANCELLABLE, Map.of("orderId", id, "status", row.status(),
                        "reason", "its " + mode + " transaction is still running"));
            });
            if (orders.settle(id, OrderStatus.CANCELLED.name(), "cancelled by " + (viewer == null ? "an admin" : "the buyer")) == 0) {
                String now = orders.find(id).map(OrderRow::status).orElse(row.status());
                throw new ApiException(ErrorCode.ORDER_NOT_CANCELLABLE, Map.of("orderId", id, "status", now));
            }
            events.announce(h, OrderEvents.CANCELLED, id); // with the update: both commit or neither
            return Order.of(orders.find(id).orElseThrow(), orders.lines(List.of(id)));
        });
    }

    /** The buyer whose orders the caller may see, or null for an admin (every order of the tenant). */
    private static UUID viewer() {
        UUID user = OrderPlacement.userId();
        return RequestContext.current().map(c -> c.hasRole(RequestContext.ADMIN_ROLE)).orElse(false) ? null : user;
    }

    private static ApiException notFound(UUID id) {
        return new ApiException(ErrorCode.ORDER_NOT_FOUND, Map.of("orderId", id));
    }
}
