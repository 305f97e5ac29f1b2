package dev.wizmesh.discovery.catalog;

import dev.wizmesh.discovery.ServiceInstance;
import java.util.List;

/** Where callers get a service's current, callable instances: the registry's catalog, or a static list. */
public interface InstanceSource {
    /** The UP instances of {@code service} as last known; empty when none. */
    List<ServiceInstance> instances(String service);
}
