package dev.wizmesh.discovery.balancer;

import dev.wizmesh.discovery.ServiceInstance;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What a balancer or the outlier detector remembers about each instance, keyed by instance id.
 *
 * <p>Instances come and go (every deployment brings new ids), and a gateway runs for months, so
 * state for instances nobody has asked about for {@link #FORGET_AFTER} is dropped, unless it
 * still matters ({@code stillNeeded}: calls in flight, an ejection running). Forgetting is
 * cheap to get wrong in the safe direction: a forgotten instance simply starts again as new.
 * The sweep runs at most once per {@code FORGET_AFTER}, on whichever call finds it due.
 *
 * @param <S> the per-instance state; must be thread-safe itself
 */
final class InstanceStates<S> {
    static final Duration FORGET_AFTER = Duration.ofMinutes(5);

    private static final class Entry<S> {
        final S state;
        volatile long lastUsedNanos;

        Entry(S state, long now) {
            this.state = state;
            this.lastUsedNanos = now;
        }
    }

    private final Map<String, Entry<S>> entries = new ConcurrentHashMap<>();
    private final Supplier<S> newState;
    private final Predicate<S> stillNeeded;
    private final LongSupplier nanoClock;
    private final long forgetAfterNanos = FORGET_AFTER.toNanos();
    private final AtomicLong nextSweepNanos;

    InstanceStates(Supplier<S> newState, Predicate<S> stillNeeded, LongSupplier nanoClock) {
        this.newState = Objects.requireNonNull(newState, "newState");
        this.stillNeeded = Objects.requireNonNull(stillNeeded, "stillNeeded");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.nextSweepNanos = new AtomicLong(nanoClock.getAsLong() + forgetAfterNanos);
    }

    /** The instance's state, created on first use; marks it as used now. */
    S of(ServiceInstance instance) {
        long now = nanoClock.getAsLong();
        Entry<S> entry = entries.computeIfAbsent(instance.id(), id -> new Entry<>(newState.get(), now));
        entry.lastUsedNanos = now;
        sweepIfDue(now);
        return entry.state;
    }

    /** The instance's state if there is one, without creating it or counting as a use. */
    S find(ServiceInstance instance) {
        Entry<S> entry = entries.get(instance.id());
        return entry == null ? null : entry.state;
    }

    /** Every remembered state, for counting (a weakly consistent view). */
    Stream<S> all() {
        return entries.values().stream().map(entry -> entry.state);
    }

    int size() {
        return entries.size();
    }

    private void sweepIfDue(long now) {
        long due = nextSweepNanos.get();
        if (now - due < 0 || !nextSweepNanos.compareAndSet(due, now + forgetAfterNanos)) {
            return;
        }
        // A call racing with the sweep may still hold a just-removed state; it then updates a
        // state nobody reads any more, which costs one call's worth of accuracy, nothing else.
        entries.values().removeIf(entry -> now - entry.lastUsedNanos >= forgetAfterNanos && !stillNeeded.test(entry.state));
    }
}
