package dev.wizmesh.discovery.balancer;

import dev.wizmesh.discovery.InstanceStatus;
import dev.wizmesh.discovery.ServiceInstance;
import java.util.Map;

/** Instances of a made-up {@code product-svc}, varying only in what a test is about. */
final class TestInstances {
    private TestInstances() {
    }

    static ServiceInstance instance(String id) {
        return instance(id, 1, "1.0.0", "zone-a", Map.of(), InstanceStatus.UP);
    }

    static ServiceInstance weighted(String id, int weight) {
        return instance(id, weight, "1.0.0", "zone-a", Map.of(), InstanceStatus.UP);
    }

    static ServiceInstance instance(String id, int weight, String version, String zone,
                                    Map<String, String> metadata, InstanceStatus status) {
        return new ServiceInstance(id, "product-svc", "10.0.0." + Math.abs(id.hashCode() % 250), 8080, null,
                "http", version, zone, weight, metadata, status);
    }
}
