package dev.wizmesh.gateway.proxy;

import dev.wizmesh.discovery.ServiceInstance;
import dev.wizmesh.discovery.balancer.InstanceChooser;
import dev.wizmesh.discovery.catalog.InstanceSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The upstream services as the proxy sees them: their instances from discovery (the registry's
 * catalog, or a static list), and one {@link InstanceChooser} per service, made on first use
 * and kept, so each service has its own balancer state and its own outlier detector (ejecting an
 * instance of user-svc must not count against product-svc's pool).
 */
public final class Upstreams {
    private final InstanceSource source;
    private final Function<String, InstanceChooser> chooserFactory;
    private final Map<String, InstanceChooser> choosers = new ConcurrentHashMap<>();

    /** @param chooserFactory makes the chooser for a service name (filters, detector, balancer) */
    public Upstreams(InstanceSource source, Function<String, InstanceChooser> chooserFactory) {
        this.source = source;
        this.chooserFactory = chooserFactory;
    }

    public List<ServiceInstance> instances(String service) {
        return source.instances(service);
    }

    public InstanceChooser chooser(String service) {
        return choosers.computeIfAbsent(service, chooserFactory);
    }
}
