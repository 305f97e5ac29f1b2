package dev.wizmesh.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Token buckets in this JVM: for a single gateway, or as the fallback while Redis is away.
 *
 * <p>Bounded: at most {@code maxBuckets} buckets (Caffeine evicts the least useful beyond that,
 * so a flood of spoofed client addresses costs memory once, not forever), and a bucket untouched
 * for as long as the slowest policy takes to fill up is dropped, since a missing bucket and a
 * full one mean the same. An evicted bucket comes back full: under a key flood the limiter errs
 * towards admitting, never towards unbounded memory.
 *
 * <p>Lock-light: a bucket is an {@link AtomicReference} to an immutable state, updated by
 * compare-and-set, so requests on different keys never contend, and on one key they retry a few
 * nanoseconds of arithmetic instead of queueing on a lock.
 */
public final class LocalRateLimiter implements RateLimiter {
    /** A monotonic clock in microseconds: wall-clock jumps (NTP) must not refill or drain buckets. */
    public static final LongSupplier MONOTONIC_MICROS = () -> System.nanoTime() / 1_000;

    private final Map<String, RateLimitPolicy> policies;
    private final Map<String, TokenBucket> buckets;
    private final Cache<String, AtomicReference<TokenBucket.State>> states;
    private final LongSupplier clockMicros;

    /**
     * @param policies    the policies, by name
     * @param instances   how many gateways share the policies' rates: 1 for a local backend; the
     *                    configured {@code gatewayInstances} when this is the Redis fallback, so
     *                    each instance admits its share
     * @param maxBuckets  how many buckets (policy and key) to keep at most
     * @param clockMicros a monotonic microsecond clock; tests pass their own
     */
    public LocalRateLimiter(Map<String, RateLimitPolicy> policies, int instances, long maxBuckets, LongSupplier clockMicros) {
        if (instances < 1) {
            throw new IllegalArgumentException("instances must be at least 1, got " + instances);
        }
        this.policies = Map.copyOf(policies);
        Map<String, TokenBucket> byName = new LinkedHashMap<>();
        this.policies.forEach((name, policy) -> byName.put(name, policy.bucketShare(instances)));
        this.buckets = Map.copyOf(byName);
        this.clockMicros = clockMicros;
        long idleMillis = Math.max(1_000, buckets.values().stream().mapToLong(TokenBucket::millisToFull).max().orElse(0));
        this.states = Caffeine.newBuilder()
                .maximumSize(maxBuckets)
                .expireAfterAccess(Duration.ofMillis(idleMillis))
                .build();
    }

    @Override
    public RateLimitDecision tryAcquire(String policy, RateLimitKey key) {
        TokenBucket bucket = buckets.get(policy);
        if (bucket == null) {
            throw new IllegalArgumentException("no rate-limit policy named '" + policy + "'");
        }
        AtomicReference<TokenBucket.State> state = states.get(policy + ":" + policies.get(policy).bucketKey(key),
                k -> new AtomicReference<>());
        long now = clockMicros.getAsLong();
        while (true) {
            TokenBucket.State before = state.get();
            TokenBucket.Outcome outcome = bucket.take(before, now);
            if (state.compareAndSet(before, outcome.state())) {
                return bucket.decision(outcome.allowed(), outcome.state().tokens());
            }
        }
    }

    /** Buckets held now (after pending evictions), for tests and the curious. */
    public long bucketCount() {
        states.cleanUp();
        return states.estimatedSize();
    }

    @Override
    public boolean hasPolicy(String policy) {
        return buckets.containsKey(policy);
    }
}
