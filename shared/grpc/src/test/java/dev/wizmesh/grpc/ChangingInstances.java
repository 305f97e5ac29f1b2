package dev.wizmesh.grpc;

import dev.wizmesh.discovery.InstanceStatus;
import dev.wizmesh.discovery.ServiceInstance;
import dev.wizmesh.discovery.catalog.CatalogEvent;
import dev.wizmesh.discovery.catalog.InstanceSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * An instance source the test changes by hand, telling listeners as the registry's catalog does.
 * (shared modules cannot depend on registry-server; the system tests run the real registry.)
 */
class ChangingInstances implements InstanceSource {
    private final Map<String, List<ServiceInstance>> byService = new ConcurrentHashMap<>();
    private final List<Consumer<CatalogEvent>> listeners = new CopyOnWriteArrayList<>();
    private long index;

    static ServiceInstance grpcInstance(String service, String id, int grpcPort) {
        return new ServiceInstance(id, service, "127.0.0.1", 1, grpcPort, "http", "1.0.0", null, 1, Map.of(), InstanceStatus.UP);
    }

    synchronized void set(String service, List<ServiceInstance> instances) {
        byService.put(service, List.copyOf(instances));
        CatalogEvent event = new CatalogEvent(service, List.copyOf(instances), ++index);
        listeners.forEach(l -> l.accept(event));
    }

    @Override
    public List<ServiceInstance> instances(String service) {
        return byService.getOrDefault(service, List.of());
    }

    @Override
    public void addListener(Consumer<CatalogEvent> listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(Consumer<CatalogEvent> listener) {
        listeners.remove(listener);
    }

    int listenerCount() {
        return listeners.size();
    }
}
