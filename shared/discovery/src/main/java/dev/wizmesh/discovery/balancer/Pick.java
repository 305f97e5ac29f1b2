package dev.wizmesh.discovery.balancer;

import dev.wizmesh.discovery.ServiceInstance;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * One call's instance, and the handle on which the caller reports how the call went.
 *
 * <p>Completing is idempotent: the first {@code complete} (or {@code close}) is reported to the
 * balancer, later ones are ignored. That lets a caller complete in its normal path and still
 * close in a {@code finally} (or try-with-resources) without counting the call twice.
 *
 * <p>What counts as a failure is the caller's call: typically a connect error, a timeout or a
 * 5xx, but not a 4xx (the instance answered correctly; the request was wrong).
 */
public final class Pick implements AutoCloseable {

    /** What a balancer (or the outlier detector) learns when a call completes. */
    @FunctionalInterface
    public interface Listener {
        void completed(Duration latency, boolean success);
    }

    private static final Listener NOBODY = (latency, success) -> { };

    private final ServiceInstance instance;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private final Listener listener;
    private final AtomicBoolean completed = new AtomicBoolean();

    /**
     * A pick whose completion is reported to {@code listener}.
     *
     * @param nanoClock the balancer's clock, to time calls completed without an explicit latency
     */
    public Pick(ServiceInstance instance, LongSupplier nanoClock, Listener listener) {
        this(instance, nanoClock, nanoClock.getAsLong(), listener);
    }

    private Pick(ServiceInstance instance, LongSupplier nanoClock, long startNanos, Listener listener) {
        this.instance = Objects.requireNonNull(instance, "instance");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.startNanos = startNanos;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** A pick for a balancer that learns nothing from calls (round robin, random, weighted). */
    public static Pick withoutFeedback(ServiceInstance instance) {
        return new Pick(instance, System::nanoTime, NOBODY);
    }

    /** The instance to call. */
    public ServiceInstance instance() {
        return instance;
    }

    /** Reports the call as finished, timed from the pick to now. */
    public void complete(boolean success) {
        complete(Duration.ofNanos(nanoClock.getAsLong() - startNanos), success);
    }

    /** Reports the call as finished, with a latency the caller measured itself. */
    public void complete(Duration latency, boolean success) {
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative: " + latency);
        }
        if (completed.compareAndSet(false, true)) {
            listener.completed(latency, success);
        }
    }

    /** Reports a failure, unless the call was already completed: a call that ended without saying how it went. */
    @Override
    public void close() {
        complete(false);
    }

    /**
     * A pick for the same call that also reports to {@code next}. The returned pick replaces this
     * one: complete that, not this.
     */
    Pick andThen(Listener next) {
        Objects.requireNonNull(next, "next");
        return new Pick(instance, nanoClock, startNanos, (latency, success) -> {
            listener.completed(latency, success);
            next.completed(latency, success);
        });
    }

    @Override
    public String toString() {
        return "Pick[" + instance.id() + " " + instance.address() + "]";
    }
}
