package dev.wizmesh.discovery.balancer;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One instance's load as {@link PeakEwmaBalancer} sees it: calls in flight, and a peak-sensitive,
 * time-decayed average of its latency. Lock-free: the estimate is an immutable value swapped
 * in with compare-and-set.
 */
final class PeakEwmaLoad {
    /**
     * The cost of an instance that has never answered but already has a call in flight: higher
     * than any measured cost (about 11 days in nanoseconds), so we wait for its first answer
     * before sending more. Counting the calls in keeps the less busy of two such instances first.
     */
    private static final double UNMEASURED_BUSY_COST = 1e15;

    /**
     * A latency estimate in nanoseconds, as of {@code atNanos}. Between observations it decays
     * towards zero, so an instance that has not been chosen for a while looks cheap again and
     * is probed: that is how a slow instance that recovered gets its traffic back.
     */
    private record Estimate(double nanos, long atNanos) {
        double decayedTo(long now, double decayNanos) {
            return nanos * weightOfPast(now, decayNanos);
        }

        /**
         * Peak: a latency above the current estimate replaces it at once (react to trouble
         * now). Below it, the two are averaged with the past weighted by how recent it is, so
         * good news takes about a decay window to sink in. A fast failure is no good news: it
         * renews the last measured estimate instead of letting it decay, so an instance that
         * fails fast (connection refused) does not come to look fast and draw traffic into a
         * black hole.
         */
        Estimate observe(double latencyNanos, boolean success, long now, double decayNanos) {
            double current = decayedTo(now, decayNanos);
            if (latencyNanos > current) {
                return new Estimate(latencyNanos, now);
            }
            if (!success) {
                return new Estimate(nanos, now);
            }
            double past = weightOfPast(now, decayNanos);
            return new Estimate(nanos * past + latencyNanos * (1 - past), now);
        }

        private double weightOfPast(long now, double decayNanos) {
            return Math.exp(-Math.max(0, now - atNanos) / decayNanos);
        }
    }

    private final double decayNanos;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicReference<Estimate> estimate = new AtomicReference<>();

    PeakEwmaLoad(double decayNanos) {
        this.decayNanos = decayNanos;
    }

    /** Latency estimate × (calls in flight + 1): the expected wait of one more call. */
    double cost(long now) {
        int pending = outstanding.get();
        Estimate current = estimate.get();
        if (current == null) {
            return pending == 0 ? 0 : UNMEASURED_BUSY_COST + pending;
        }
        return current.decayedTo(now, decayNanos) * (pending + 1);
    }

    void started() {
        outstanding.incrementAndGet();
    }

    void completed(long latencyNanos, boolean success, long now) {
        outstanding.decrementAndGet();
        estimate.updateAndGet(current -> current == null
                ? new Estimate(latencyNanos, now)
                : current.observe(latencyNanos, success, now, decayNanos));
    }

    int outstanding() {
        return outstanding.get();
    }

    boolean hasCallsInFlight() {
        return outstanding.get() > 0;
    }
}
