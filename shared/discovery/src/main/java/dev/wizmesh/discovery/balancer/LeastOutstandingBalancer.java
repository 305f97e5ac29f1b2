package dev.wizmesh.discovery.balancer;

import dev.wizmesh.discovery.ServiceInstance;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Least outstanding requests, by the power of two choices: of two random candidates, the one
 * with fewer calls in flight from this balancer.
 *
 * <p>In-flight calls are the cheapest load signal there is, and it reacts at once: an instance
 * that slows down accumulates calls and stops being chosen, without any latency bookkeeping.
 * Use it when call costs vary a lot (some requests are slow) or instances differ in capacity.
 * It only sees this process's own calls, not those of other clients.
 */
public final class LeastOutstandingBalancer implements LoadBalancer {
    private final Supplier<RandomGenerator> random;
    private final LongSupplier nanoClock;
    private final InstanceStates<AtomicInteger> inFlight;

    public LeastOutstandingBalancer() {
        this(ThreadLocalRandom::current, System::nanoTime);
    }

    /**
     * @param random    where the randomness comes from; tests pass a seeded generator
     * @param nanoClock a monotonic clock in nanoseconds, {@code System::nanoTime} outside tests
     */
    public LeastOutstandingBalancer(Supplier<RandomGenerator> random, LongSupplier nanoClock) {
        this.random = Objects.requireNonNull(random, "random");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.inFlight = new InstanceStates<>(AtomicInteger::new, count -> count.get() > 0, nanoClock);
    }

    @Override
    public Optional<Pick> pick(List<ServiceInstance> candidates) {
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        ServiceInstance chosen = TwoRandomChoices.choose(candidates, random.get(),
                candidate -> inFlight.of(candidate).get());
        AtomicInteger count = inFlight.of(chosen);
        count.incrementAndGet();
        return Optional.of(new Pick(chosen, nanoClock, (latency, success) -> count.decrementAndGet()));
    }

    /** Calls this balancer has sent to {@code instance} that are not completed yet. */
    public int outstanding(ServiceInstance instance) {
        AtomicInteger count = inFlight.find(instance);
        return count == null ? 0 : count.get();
    }
}
