package dev.wizmesh.gateway.ratelimit;

import com.codahale.metrics.health.HealthCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code backend: redis} limiter as built: Redis decides while it answers; when a call fails
 * the gateway keeps serving, deciding by {@code onRedisDown} (its local share of each policy,
 * everything allowed, or everything refused) until Redis is back.
 *
 * <p>One failed call switches over, and while Redis is down no request waits on it: decisions
 * go straight to the fallback, and a background probe PINGs Redis every {@code probeInterval};
 * the first answer switches back. Each switch is logged once (not once per request), shown by
 * the non-critical {@code ratelimit-redis} health check, and by the
 * {@code gateway_ratelimit_redis_available} gauge.
 */
public final class FallbackRateLimiter implements ManagedRateLimiter {
    private static final Logger LOG = LoggerFactory.getLogger(FallbackRateLimiter.class);

    private final RedisRateLimiter redis;
    private final RateLimiter localShare;
    private final OnRedisDown onRedisDown;
    private final Map<String, RateLimitPolicy> policies;
    private final RateLimitMetrics metrics;
    private final Duration probeInterval;
    private final String redisAddress;
    /** Null while Redis is in use; otherwise when it was found unreachable, and why. */
    private final AtomicReference<Outage> outage = new AtomicReference<>();
    private ScheduledExecutorService prober;

    private record Outage(Instant since, String cause) {
    }

    /**
     * @param redis         the shared buckets
     * @param localShare    this instance's share of each policy (used with {@link OnRedisDown#LOCAL})
     * @param onRedisDown   what to do without Redis
     * @param policies      the policies, for the limit reported by allow/deny decisions
     * @param probeInterval how often to PING Redis while it is down
     * @param redisAddress  host:port for messages
     */
    public FallbackRateLimiter(RedisRateLimiter redis, RateLimiter localShare, OnRedisDown onRedisDown,
                               Map<String, RateLimitPolicy> policies, RateLimitMetrics metrics,
                               Duration probeInterval, String redisAddress) {
        this.redis = redis;
        this.localShare = localShare;
        this.onRedisDown = onRedisDown;
        this.policies = Map.copyOf(policies);
        this.metrics = metrics;
        this.probeInterval = probeInterval;
        this.redisAddress = redisAddress;
        metrics.redisAvailability(this::redisAvailable);
    }

    @Override
    public RateLimitDecision tryAcquire(String policy, RateLimitKey key) {
        if (outage.get() == null) {
            try {
                RateLimitDecision decision = redis.tryAcquire(policy, key);
                metrics.decided(policy, decision, "redis");
                return decision;
            } catch (RedisUnavailableException e) {
                redisDown(e);
            }
        }
        RateLimitDecision decision = fallback(policy, key);
        metrics.decided(policy, decision, "fallback");
        metrics.fellBack(policy, onRedisDown.label());
        return decision;
    }

    @Override
    public boolean hasPolicy(String policy) {
        return policies.containsKey(policy);
    }

    /** True while decisions go to Redis. */
    public boolean redisAvailable() {
        return outage.get() == null;
    }

    @Override
    public Optional<HealthCheck> healthCheck() {
        return Optional.of(new HealthCheck() {
            @Override
            protected Result check() {
                Outage current = outage.get();
                if (current == null) {
                    return Result.healthy("rate limits shared through Redis at " + redisAddress);
                }
                return Result.unhealthy("Redis at " + redisAddress + " unreachable since " + current.since()
                        + " (" + current.cause() + "); rate limits " + fallbackDescription());
            }
        });
    }

    @Override
    public void start() {
        prober = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ratelimit-redis-probe");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(1, probeInterval.toMillis());
        prober.scheduleWithFixedDelay(this::probe, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (prober != null) {
            prober.shutdownNow();
        }
        redis.close();
    }

    /** Runs on the probe thread; does nothing while Redis is in use (requests find out soon enough). */
    void probe() {
        Outage current = outage.get();
        if (current == null || !redis.ping()) {
            return;
        }
        // connections from before the outage are dead: drop them before requests come back
        redis.discardIdleConnections();
        if (outage.compareAndSet(current, null)) {
            LOG.info("Redis at {} answers again: rate limits are shared through Redis again (down since {})",
                    redisAddress, current.since());
        }
    }

    private void redisDown(RedisUnavailableException e) {
        Outage down = new Outage(Instant.now(), e.getMessage());
        // many requests fail at once when Redis goes: the one that wins the swap logs it
        if (outage.compareAndSet(null, down)) {
            LOG.warn("Redis at {} unreachable ({}): rate limits {} until it answers again",
                    redisAddress, e.getMessage(), fallbackDescription());
            redis.discardIdleConnections();
        }
    }

    private RateLimitDecision fallback(String policy, RateLimitKey key) {
        RateLimitPolicy p = policies.get(policy);
        if (p == null) {
            throw new IllegalArgumentException("no rate-limit policy named '" + policy + "'");
        }
        return switch (onRedisDown) {
            case LOCAL -> localShare.tryAcquire(policy, key);
            case ALLOW -> new RateLimitDecision(true, p.capacity, p.capacity, 0, 0);
            // retry once Redis may be back: the next probe
            case DENY -> {
                long seconds = Math.max(1, (probeInterval.toMillis() + 999) / 1000);
                yield new RateLimitDecision(false, p.capacity, 0, seconds, seconds);
            }
        };
    }

    private String fallbackDescription() {
        return switch (onRedisDown) {
            case LOCAL -> "are enforced per gateway instance (each policy's rate divided by gatewayInstances)";
            case ALLOW -> "are not enforced (onRedisDown: allow)";
            case DENY -> "refuse every request (onRedisDown: deny)";
        };
    }
}
