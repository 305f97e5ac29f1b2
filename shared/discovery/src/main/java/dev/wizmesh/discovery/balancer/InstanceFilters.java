package dev.wizmesh.discovery.balancer;

import dev.wizmesh.discovery.ServiceInstance;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The usual filters, to chain in front of a balancer:
 *
 * <pre>{@code
 * InstanceFilter filter = InstanceFilters.up()
 *         .andThen(InstanceFilters.version("2.3.0"))           // canary: only 2.3.0 instances
 *         .andThen(InstanceFilters.metadata(Map.of("tier", "gold")))
 *         .andThen(InstanceFilters.preferZone("eu-west-1a"));  // keep traffic in our zone
 * }</pre>
 *
 * Put {@code preferZone} last: its fallback should see the instances that passed everything else.
 */
public final class InstanceFilters {
    private InstanceFilters() {
    }

    /** Only instances whose status is UP: not starting, down, or draining. */
    public static InstanceFilter up() {
        return matching(ServiceInstance::isUp);
    }

    /** Only instances running exactly {@code version}. An empty result is the caller's 503: no silent fallback to another version. */
    public static InstanceFilter version(String version) {
        Objects.requireNonNull(version, "version");
        return matching(instance -> version.equals(instance.version()));
    }

    /** Only instances carrying every one of {@code labels} with the same value; other labels don't matter. */
    public static InstanceFilter metadata(Map<String, String> labels) {
        Map<String, String> required = Map.copyOf(labels);
        return matching(instance -> instance.metadata().entrySet().containsAll(required.entrySet()));
    }

    /**
     * The instances in {@code zone} when there are any, otherwise all of them: stay in the zone
     * for latency and cross-zone cost, but rather cross zones than fail.
     */
    public static InstanceFilter preferZone(String zone) {
        Objects.requireNonNull(zone, "zone");
        return instances -> {
            List<ServiceInstance> local = instances.stream().filter(instance -> zone.equals(instance.zone())).toList();
            return local.isEmpty() ? instances : local;
        };
    }

    private static InstanceFilter matching(Predicate<ServiceInstance> predicate) {
        return instances -> instances.stream().filter(predicate).toList();
    }
}
