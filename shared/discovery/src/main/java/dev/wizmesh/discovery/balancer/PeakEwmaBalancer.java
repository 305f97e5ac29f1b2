package dev.wizmesh.discovery.balancer;

import dev.wizmesh.discovery.ServiceInstance;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Latency-aware balancing with peak EWMA, as in Finagle, linkerd and go-zero: of two random
 * candidates, the one with the lower cost, where cost = latency estimate × (calls in flight + 1).
 *
 * <p>The latency estimate is an exponentially weighted moving average over time (not over a
 * number of calls): the past's weight halves about every 0.7 × {@code decay}. It is
 * peak-sensitive: a slower answer replaces the estimate at once, faster ones pull it down only
 * gradually. So a slow or overloaded instance loses traffic within one call, and gets it back
 * only once it has been fast for a while.
 *
 * <p>An instance that has not answered yet costs nothing while it is idle, so it is tried at
 * once, and costs more than any measured instance while that first call is in flight, so it is
 * not flooded before we know how fast it is. Between answers every estimate decays towards zero,
 * so an instance left alone for a few decay windows is probed again.
 *
 * <p>Use it for calls whose latency varies between instances (noisy neighbours, GC pauses,
 * a cold cache): it is the best default when calls complete with feedback.
 */
public final class PeakEwmaBalancer implements LoadBalancer {
    private final Supplier<RandomGenerator> random;
    private final LongSupplier nanoClock;
    private final InstanceStates<PeakEwmaLoad> loads;

    public PeakEwmaBalancer(Duration decay) {
        this(decay, ThreadLocalRandom::current, System::nanoTime);
    }

    /**
     * @param decay     how fast the past fades: after one decay window it weighs 1/e (37 %)
     * @param random    where the randomness comes from; tests pass a seeded generator
     * @param nanoClock a monotonic clock in nanoseconds, {@code System::nanoTime} outside tests
     */
    public PeakEwmaBalancer(Duration decay, Supplier<RandomGenerator> random, LongSupplier nanoClock) {
        Objects.requireNonNull(decay, "decay");
        if (decay.isNegative() || decay.isZero()) {
            throw new IllegalArgumentException("decay must be positive: " + decay);
        }
        double decayNanos = decay.toNanos();
        this.random = Objects.requireNonNull(random, "random");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.loads = new InstanceStates<>(() -> new PeakEwmaLoad(decayNanos), PeakEwmaLoad::hasCallsInFlight, nanoClock);
    }

    @Override
    public Optional<Pick> pick(List<ServiceInstance> candidates) {
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        long now = nanoClock.getAsLong();
        ServiceInstance chosen = TwoRandomChoices.choose(candidates, random.get(),
                candidate -> loads.of(candidate).cost(now));
        PeakEwmaLoad load = loads.of(chosen);
        load.started();
        return Optional.of(new Pick(chosen, nanoClock,
                (latency, success) -> load.completed(latency.toNanos(), success, nanoClock.getAsLong())));
    }

    /** Calls this balancer has sent to {@code instance} that are not completed yet. */
    public int outstanding(ServiceInstance instance) {
        PeakEwmaLoad load = loads.find(instance);
        return load == null ? 0 : load.outstanding();
    }
}
