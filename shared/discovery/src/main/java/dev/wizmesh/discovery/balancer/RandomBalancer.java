package dev.wizmesh.discovery.balancer;

import dev.wizmesh.discovery.ServiceInstance;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Each call goes to a candidate chosen uniformly at random. Even on average and needs no shared
 * state at all, which is why many clients behind one service spread well with it.
 */
public final class RandomBalancer implements LoadBalancer {
    private final Supplier<RandomGenerator> random;

    public RandomBalancer() {
        this(ThreadLocalRandom::current);
    }

    /** @param random where the randomness comes from; tests pass a seeded generator */
    public RandomBalancer(Supplier<RandomGenerator> random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public Optional<Pick> pick(List<ServiceInstance> candidates) {
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        int index = random.get().nextInt(candidates.size());
        return Optional.of(Pick.withoutFeedback(candidates.get(index)));
    }
}
