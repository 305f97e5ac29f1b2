package dev.wizmesh.discovery.balancer;

import dev.wizmesh.discovery.ServiceInstance;
import java.util.List;
import java.util.Objects;

/**
 * Narrows the instances a call may go to, before a balancer chooses among them. Stages compose
 * with {@link #andThen}; the common ones are in {@link InstanceFilters}.
 *
 * <p>A filter works on the whole list rather than one instance at a time because some decisions
 * depend on the others: "same zone, unless none is" cannot be said of one instance alone.
 */
@FunctionalInterface
public interface InstanceFilter {

    /** The instances that pass, in their original order; never modifies its argument. */
    List<ServiceInstance> filter(List<ServiceInstance> instances);

    /** This filter, then {@code next} on what passed. */
    default InstanceFilter andThen(InstanceFilter next) {
        Objects.requireNonNull(next, "next");
        return instances -> next.filter(filter(instances));
    }
}
