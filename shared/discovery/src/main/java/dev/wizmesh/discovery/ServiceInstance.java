package dev.wizmesh.discovery;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.net.URI;
import java.util.Map;

/**
 * One running instance of a service, as the registry hands it to callers.
 *
 * @param id       unique per instance (stable across its re-registrations)
 * @param service  the logical service name, e.g. {@code product-svc}
 * @param host     where to reach it
 * @param port     its HTTP port
 * @param grpcPort its gRPC port, or null when it has none
 * @param scheme   {@code http} or {@code https}
 * @param version  the version it runs, for canary routing
 * @param zone     its availability zone, for zone-aware routing
 * @param weight   its relative share of traffic for weighted balancing (1..1000)
 * @param metadata free-form labels, for routing filters
 * @param status   UP, DOWN, STARTING or OUT_OF_SERVICE
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ServiceInstance(
        String id,
        String service,
        String host,
        int port,
        Integer grpcPort,
        String scheme,
        String version,
        String zone,
        int weight,
        Map<String, String> metadata,
        InstanceStatus status) {

    public ServiceInstance {
        scheme = scheme == null ? "http" : scheme;
        weight = weight <= 0 ? 1 : weight;
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        status = status == null ? InstanceStatus.UP : status;
    }

    public URI baseUri() {
        return URI.create(scheme + "://" + host + ":" + port);
    }

    /** {@code host:port}, the address a balancer or a log line names it by. */
    public String address() {
        return host + ":" + port;
    }

    @JsonIgnore
    public boolean isUp() {
        return status == InstanceStatus.UP;
    }

    public ServiceInstance withStatus(InstanceStatus newStatus) {
        return new ServiceInstance(id, service, host, port, grpcPort, scheme, version, zone, weight, metadata, newStatus);
    }
}
