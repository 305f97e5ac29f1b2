package dev.wizmesh.discovery.catalog;

import dev.wizmesh.discovery.InstanceStatus;
import dev.wizmesh.discovery.ServiceInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Direct mode ({@code discovery.mode: static}): fixed {@code host:port} lists from YAML, no
 * registry. For a laptop without the registry, or a service whose callees are fixed.
 *
 * <p>An entry is {@code host:port} (the HTTP port), optionally followed by options:
 * {@code grpc=<port>} names the instance's gRPC port, which {@code registry:///} channels dial;
 * {@code version=<v>} its version, which the gateway's canary rules choose by:
 *
 * <pre>
 * static:
 *   product-svc: ["127.0.0.1:8120?grpc=9120&amp;version=1.4.0", "127.0.0.1:8122?grpc=9122&amp;version=1.5.0"]
 * </pre>
 *
 * An entry without {@code grpc=} has no gRPC port, and gRPC channels skip it.
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

    static ServiceInstance parse(String service, String entry) {
        Integer grpcPort = null;
        String version = null;
        String address = entry;
        int query = entry.indexOf('?');
        if (query >= 0) {
            address = entry.substring(0, query);
            for (String option : entry.substring(query + 1).split("&")) {
                if (option.startsWith("grpc=")) {
                    grpcPort = Integer.parseInt(option.substring("grpc=".length()));
                } else if (option.startsWith("version=") && option.length() > "version=".length()) {
                    version = option.substring("version=".length());
                } else {
                    throw new IllegalArgumentException("static address for " + service
                            + " may only add ?grpc=<port>&version=<v>, got '" + entry + "'");
                }
            }
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("static address for " + service + " must be host:port, got '" + address + "'");
        }
        int port = Integer.parseInt(address.substring(colon + 1));
        String host = address.substring(0, colon);
        return new ServiceInstance(service + "@" + address, service, host, port, grpcPort, "http", version, null, 1, Map.of(), InstanceStatus.UP);
    }

    @Override
    public List<ServiceInstance> instances(String service) {
        return instances.getOrDefault(service, List.of());
    }
}
