package dev.wizmesh.discovery.balancer;

import dev.wizmesh.discovery.ServiceInstance;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Each call goes to the next candidate in turn. Even, predictable, and blind to load: use it when
 * the instances are alike and the calls cost about the same.
 *
 * <p>One shared counter, taken modulo the number of candidates, so a changing list only shifts
 * where the turn falls; it never picks an instance that is no longer a candidate.
 */
public final class RoundRobinBalancer implements LoadBalancer {
    private final AtomicInteger next = new AtomicInteger();

    @Override
    public Optional<Pick> pick(List<ServiceInstance> candidates) {
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        int index = Math.floorMod(next.getAndIncrement(), candidates.size());
        return Optional.of(Pick.withoutFeedback(candidates.get(index)));
    }
}
