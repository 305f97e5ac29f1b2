package dev.wizmesh.discovery.balancer;

import dev.wizmesh.discovery.ServiceInstance;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Round robin in proportion to each instance's {@link ServiceInstance#weight() weight}, spread
 * out rather than in bursts: nginx's smooth weighted round robin.
 *
 * <p>Every candidate has a running weight. On each pick every running weight grows by its
 * instance's weight, the largest is chosen, and the chosen one gives back the total of all
 * weights. Over one cycle each instance is chosen exactly {@code weight} times, and the
 * give-back keeps a heavy instance from taking its turns in a row: weights 5/1/1 give
 * {@code a a b a c a a}, not {@code a a a a a b c}.
 *
 * <p>Every pick updates every candidate's running weight, so picks are serialised with a lock;
 * that is O(candidates) per call, cheap for the tens of instances a service runs. Running
 * weights are kept by instance id, so a changing candidate list keeps the others' place in the
 * cycle; a newcomer starts at zero, and an instance that has not been a candidate for over
 * {@value #FORGET_AFTER_PICKS} picks is forgotten.
 */
public final class SmoothWeightedRoundRobinBalancer implements LoadBalancer {
    static final int FORGET_AFTER_PICKS = 1024;

    /** One instance's place in the cycle. */
    private static final class RunningWeight {
        long current;
        long lastSeenPick;
    }

    private final Map<String, RunningWeight> running = new HashMap<>();
    private long picks;

    @Override
    public Optional<Pick> pick(List<ServiceInstance> candidates) {
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Pick.withoutFeedback(choose(candidates)));
    }

    private synchronized ServiceInstance choose(List<ServiceInstance> candidates) {
        picks++;
        long total = 0;
        ServiceInstance best = null;
        RunningWeight bestWeight = null;
        for (ServiceInstance candidate : candidates) {
            RunningWeight weight = running.computeIfAbsent(candidate.id(), id -> new RunningWeight());
            weight.current += candidate.weight();
            weight.lastSeenPick = picks;
            total += candidate.weight();
            if (bestWeight == null || weight.current > bestWeight.current) {
                best = candidate;
                bestWeight = weight;
            }
        }
        bestWeight.current -= total;
        if (picks % FORGET_AFTER_PICKS == 0) {
            running.values().removeIf(weight -> picks - weight.lastSeenPick >= FORGET_AFTER_PICKS);
        }
        return best;
    }

    /** How many instances this balancer currently remembers a running weight for. */
    synchronized int remembered() {
        return running.size();
    }
}
