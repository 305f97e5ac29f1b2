package dev.wizmesh.gateway.resilience;

import java.util.function.LongSupplier;

/**
 * Caps retries at a share of the requests (Finagle's and Linkerd's retry budget): over a sliding
 * window, retries may be at most {@code ratio} × requests, plus a small floor per second so a
 * quiet route can still retry. When an upstream fails everything, plain "retry 3 times" turns
 * each request into 4 and multiplies the outage; with a budget of 20 % the extra load stays at 20 %.
 *
 * <p>The window is ten one-second buckets (a ring), so old traffic ages out without a timer.
 */
public final class RetryBudget {
    private static final int BUCKETS = 10;

    private final double ratio;
    private final int minRetriesPerSecond;
    private final LongSupplier nanoClock;
    private final long[] requests = new long[BUCKETS];
    private final long[] retries = new long[BUCKETS];
    private long currentSecond = Long.MIN_VALUE;

    public RetryBudget(double ratio, int minRetriesPerSecond, LongSupplier nanoClock) {
        if (ratio < 0 || ratio > 1) {
            throw new IllegalArgumentException("ratio must be between 0 and 1, was " + ratio);
        }
        this.ratio = ratio;
        this.minRetriesPerSecond = minRetriesPerSecond;
        this.nanoClock = nanoClock;
    }

    /** Counts a first attempt (every request, retried or not). */
    public synchronized void recordRequest() {
        requests[slot()]++;
    }

    /** Takes one retry from the budget when there is one left; false means do not retry. */
    public synchronized boolean tryRetry() {
        int slot = slot();
        long totalRequests = 0;
        long totalRetries = 0;
        for (int i = 0; i < BUCKETS; i++) {
            totalRequests += requests[i];
            totalRetries += retries[i];
        }
        long allowed = Math.max((long) minRetriesPerSecond * BUCKETS, (long) Math.floor(ratio * totalRequests));
        if (totalRetries >= allowed) {
            return false;
        }
        retries[slot]++;
        return true;
    }

    /** The bucket for now, clearing the buckets of the seconds that passed since the last call. */
    private int slot() {
        long second = nanoClock.getAsLong() / 1_000_000_000L;
        if (currentSecond == Long.MIN_VALUE) {
            currentSecond = second;
        }
        long elapsed = Math.min(second - currentSecond, BUCKETS);
        for (long s = 1; s <= elapsed; s++) {
            int i = (int) Math.floorMod(currentSecond + s, (long) BUCKETS);
            requests[i] = 0;
            retries[i] = 0;
        }
        if (second > currentSecond) {
            currentSecond = second;
        }
        return (int) Math.floorMod(currentSecond, (long) BUCKETS);
    }
}
