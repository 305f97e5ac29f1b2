package dev.wizmesh.discovery.catalog;

import dev.wizmesh.discovery.ServiceInstance;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where callers get a service's current, callable instances: the registry's catalog, or a static list.
 * Listeners hear of every change, so a caller that keeps its own view (a gRPC channel's name
 * resolver) can follow the catalog instead of polling it.
 */
public interface InstanceSource {
    /** The UP instances of {@code service} as last known; empty when none. */
    List<ServiceInstance> instances(String service);

    /**
     * Calls {@code listener} after each change of a service's instances, with the service's list as
     * it is now. A static source never changes, so by default nothing is ever called.
     */
    default void addListener(Consumer<CatalogEvent> listener) {
    }

    default void removeListener(Consumer<CatalogEvent> listener) {
    }
}
