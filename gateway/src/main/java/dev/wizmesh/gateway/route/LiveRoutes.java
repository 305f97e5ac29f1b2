package dev.wizmesh.gateway.route;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The route table in use. Every request reads it once, so a reload swaps the whole table
 * atomically: a request sees the old routes or the new ones, never half of each.
 */
public final class LiveRoutes {
    private final AtomicReference<RouteTable> current;

    public LiveRoutes(RouteTable initial) {
        this.current = new AtomicReference<>(initial);
    }

    public RouteTable current() {
        return current.get();
    }

    public void replace(RouteTable table) {
        current.set(table);
    }
}
