package dev.wizmesh.discovery.balancer;

import dev.wizmesh.discovery.ServiceInstance;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Passive health checking, Envoy-style: an instance whose calls keep failing is ejected (left
 * out of balancing) for a while, on the evidence of real traffic, between the registry's own
 * health checks.
 *
 * <p>The rules:
 * <ul>
 *   <li>{@code consecutiveFailures} failures in a row eject an instance; any success in between
 *       starts the count again.</li>
 *   <li>The n-th ejection lasts {@code baseEjectionTime} × n, capped at {@code maxEjectionTime}:
 *       an instance that keeps failing is kept out longer each time. Each
 *       {@code baseEjectionTime} spent back in without being ejected again forgives one past
 *       ejection.</li>
 *   <li>At most {@code maxEjectionPercent} of the pool (the instances last passed to
 *       {@link #filter}, rounded down) is ejected at once; an outlier beyond that stays in, and
 *       is ejected on its next failure if room has freed up. A detector that could eject every
 *       instance would turn one bad dependency of theirs into a full outage of ours. For the
 *       same reason, if the pool shrinks until every instance in it is ejected, the filter lets
 *       them all through.</li>
 *   <li>An ejected instance comes back by itself when its time is up; failures of calls that
 *       were already in flight when it was ejected are not counted.</li>
 * </ul>
 *
 * <p>It is used in two places, which {@link InstanceChooser} wires up: as a filter stage before
 * the balancer, and as a listener on every {@link Pick}'s completion ({@link #record}). Since the
 * pool size comes from the filter stage, give each chooser its own detector.
 *
 * <p>Recording is lock-free; only an actual ejection takes a lock, so that two instances failing
 * at the same moment cannot both slip under the cap.
 */
public final class OutlierDetector implements InstanceFilter {
    /** An instance's latest ejection: its number in the series (1st, 2nd, ...), and until when. */
    private record Ejection(int count, long untilNanos) {
    }

    /** What the detector knows about one instance. */
    private static final class Health {
        final AtomicInteger consecutiveFailures = new AtomicInteger();
        /** Null until the first ejection; written under the detector's lock, read without it. */
        volatile Ejection lastEjection;

        boolean isEjectedAt(long now) {
            Ejection ejection = lastEjection;
            return ejection != null && now - ejection.untilNanos() < 0;
        }
    }

    private final int consecutiveFailures;
    private final long baseEjectionNanos;
    private final long maxEjectionNanos;
    private final int maxEjectionPercent;
    private final int maxEjectionCount;
    private final LongSupplier nanoClock;
    private final InstanceStates<Health> health;
    private final AtomicLong ejectionsTotal = new AtomicLong();
    private volatile int poolSize;

    /**
     * @param consecutiveFailures failures in a row that eject an instance (at least 1)
     * @param baseEjectionTime    how long the first ejection lasts
     * @param maxEjectionTime     the longest any ejection lasts (at least {@code baseEjectionTime})
     * @param maxEjectionPercent  the largest share of the pool ejected at once, 0..100
     * @param nanoClock           a monotonic clock in nanoseconds, {@code System::nanoTime} outside tests
     */
    public OutlierDetector(int consecutiveFailures, Duration baseEjectionTime, Duration maxEjectionTime,
                           int maxEjectionPercent, LongSupplier nanoClock) {
        if (consecutiveFailures < 1) {
            throw new IllegalArgumentException("consecutiveFailures must be at least 1: " + consecutiveFailures);
        }
        if (baseEjectionTime.isNegative() || baseEjectionTime.isZero()) {
            throw new IllegalArgumentException("baseEjectionTime must be positive: " + baseEjectionTime);
        }
        if (maxEjectionTime.compareTo(baseEjectionTime) < 0) {
            throw new IllegalArgumentException("maxEjectionTime " + maxEjectionTime
                    + " is shorter than baseEjectionTime " + baseEjectionTime);
        }
        if (maxEjectionPercent < 0 || maxEjectionPercent > 100) {
            throw new IllegalArgumentException("maxEjectionPercent must be 0..100: " + maxEjectionPercent);
        }
        this.consecutiveFailures = consecutiveFailures;
        this.baseEjectionNanos = baseEjectionTime.toNanos();
        this.maxEjectionNanos = maxEjectionTime.toNanos();
        this.maxEjectionPercent = maxEjectionPercent;
        // past this count the time is capped anyway; stopping here lets forgiveness work as fast
        this.maxEjectionCount = (int) Math.min(Integer.MAX_VALUE,
                (maxEjectionNanos + baseEjectionNanos - 1) / baseEjectionNanos);
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.health = new InstanceStates<>(Health::new, state -> state.isEjectedAt(nanoClock.getAsLong()), nanoClock);
    }

    /**
     * The instances that are not ejected now, or all of them if every one is (Envoy calls this
     * panic mode: some calls may succeed, none would with an empty pool). Also takes note of the
     * pool size, for the cap.
     */
    @Override
    public List<ServiceInstance> filter(List<ServiceInstance> instances) {
        poolSize = instances.size();
        long now = nanoClock.getAsLong();
        List<ServiceInstance> notEjected = instances.stream().filter(instance -> !isEjectedAt(instance, now)).toList();
        return notEjected.isEmpty() ? instances : notEjected;
    }

    /** Takes note of how a call to {@code instance} went; may eject it. */
    public void record(ServiceInstance instance, boolean success) {
        Health state = health.of(instance);
        long now = nanoClock.getAsLong();
        if (state.isEjectedAt(now)) {
            return;
        }
        if (success) {
            state.consecutiveFailures.set(0);
        } else if (state.consecutiveFailures.incrementAndGet() >= consecutiveFailures) {
            tryToEject(state, now);
        }
    }

    /** Whether {@code instance} is ejected right now. */
    public boolean isEjected(ServiceInstance instance) {
        return isEjectedAt(instance, nanoClock.getAsLong());
    }

    /** Ejections since this detector was built, for a metrics counter. */
    public long ejectionsTotal() {
        return ejectionsTotal.get();
    }

    /** Instances ejected right now, for a metrics gauge. */
    public int currentlyEjected() {
        return countEjectedAt(nanoClock.getAsLong());
    }

    private synchronized void tryToEject(Health state, long now) {
        if (state.isEjectedAt(now)) {
            return; // another thread ejected it a moment ago
        }
        if (countEjectedAt(now) >= (long) poolSize * maxEjectionPercent / 100) {
            return; // cap reached: it stays in, still counting failures
        }
        int count = Math.min(unforgivenEjections(state.lastEjection, now) + 1, maxEjectionCount);
        long duration = Math.min(baseEjectionNanos * count, maxEjectionNanos);
        state.lastEjection = new Ejection(count, now + duration);
        state.consecutiveFailures.set(0);
        ejectionsTotal.incrementAndGet();
    }

    /** Past ejections still held against an instance: one is forgiven per base time spent back in. */
    private int unforgivenEjections(Ejection last, long now) {
        if (last == null) {
            return 0;
        }
        long forgiven = (now - last.untilNanos()) / baseEjectionNanos;
        return (int) Math.max(0, last.count() - forgiven);
    }

    private boolean isEjectedAt(ServiceInstance instance, long now) {
        Health state = health.find(instance);
        return state != null && state.isEjectedAt(now);
    }

    private int countEjectedAt(long now) {
        return (int) health.all().filter(state -> state.isEjectedAt(now)).count();
    }
}
