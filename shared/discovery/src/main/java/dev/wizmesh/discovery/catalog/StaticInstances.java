package dev.wizmesh.discovery.catalog;

import dev.wizmesh.discovery.InstanceStatus;
import dev.wizmesh.discovery.ServiceInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Direct mode ({@code discovery.mode: static}): fixed {@code host:port} lists from YAML, no
 * registry. For a laptop without the registry, or a service whose callees are fixed.
 */
public class StaticInstances implements InstanceSource {
    private final Map<String, List<ServiceInstance>> instances;

    public StaticInstances(Map<String, List<String>> addresses) {
        Map<String, List<ServiceInstance>> out = new java.util.HashMap<>();
        addresses.forEach((service, list) -> {
            List<ServiceInstance> parsed = new ArrayList<>();
            for (String address : list) {
                parsed.add(parse(service, address));
            }
            out.put(service, List.copyOf(parsed));
        });
        this.instances = Map.copyOf(out);
    }

    static ServiceInstance parse(String service, String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("static address for " + service + " must be host:port, got '" + address + "'");
        }
        int port = Integer.parseInt(address.substring(colon + 1));
        String host = address.substring(0, colon);
        return new ServiceInstance(service + "@" + address, service, host, port, null, "http", null, null, 1, Map.of(), InstanceStatus.UP);
    }

    @Override
    public List<ServiceInstance> instances(String service) {
        return instances.getOrDefault(service, List.of());
    }
}
