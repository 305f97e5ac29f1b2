package dev.wizmesh.gateway.resilience;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Caps retries at a share of the requests (Finagle's and Linkerd's retry budget): over a sliding
 * window, retries may be at most {@code ratio} × requests, plus a small floor per second so a
 * quiet route can still retry. When an upstream fails everything, plain "retry 3 times" turns
 * each request into 4 and multiplies the outage; with a budget of 20 % the extra load stays at 20 %.
 *
 * <p>The window is ten one-second buckets (a ring), so old traffic ages out without a timer.
 * Counting a request is one atomic increment (every request does it); only the rare retry and the
 * once-a-second turn of the ring take the lock. Counts at a second's edge may land in the
 * neighbouring bucket: a budget is a ratio, not an audit.
 */
public final class RetryBudget {
    private static final int BUCKETS = 10;

    private final double ratio;
    private final int minRetriesPerSecond;
    private final LongSupplier nanoClock;
    private final AtomicLongArray requests = new AtomicLongArray(BUCKETS);
    private final AtomicLongArray retries = new AtomicLongArray(BUCKETS);
    private volatile long currentSecond = Long.MIN_VALUE;

    public RetryBudget(double ratio, int minRetriesPerSecond, LongSupplier nanoClock) {
        if (ratio < 0 || ratio > 1) {
            throw new IllegalArgumentException("ratio must be between 0 and 1, was " + ratio);
        }
        this.ratio = ratio;
        this.minRetriesPerSecond = minRetriesPerSecond;
        this.nanoClock = nanoClock;
    }

    /** Counts a first attempt (every request, retried or not). */
    public void recordRequest() {
        requests.incrementAndGet(slot());
    }

    /** Takes one retry from the budget when there is one left; false means do not retry. */
    public synchronized boolean tryRetry() {
        int slot = slot();
        long totalRequests = 0;
        long totalRetries = 0;
        for (int i = 0; i < BUCKETS; i++) {
            totalRequests += requests.get(i);
            totalRetries += retries.get(i);
        }
        long allowed = Math.max((long) minRetriesPerSecond * BUCKETS, (long) Math.floor(ratio * totalRequests));
        if (totalRetries >= allowed) {
            return false;
        }
        retries.incrementAndGet(slot);
        return true;
    }

    /** The bucket for now; the first caller in a new second clears the buckets of the seconds that passed. */
    private int slot() {
        long second = nanoClock.getAsLong() / 1_000_000_000L;
        if (second != currentSecond) {
            turn(second);
        }
        return (int) Math.floorMod(currentSecond, (long) BUCKETS);
    }

    private synchronized void turn(long second) {
        if (currentSecond == Long.MIN_VALUE) {
            currentSecond = second;
            return;
        }
        if (second <= currentSecond) {
            return;
        }
        long elapsed = Math.min(second - currentSecond, BUCKETS);
        for (long s = 1; s <= elapsed; s++) {
            int i = (int) Math.floorMod(currentSecond + s, (long) BUCKETS);
            requests.set(i, 0);
            retries.set(i, 0);
        }
        currentSecond = second;
    }
}
