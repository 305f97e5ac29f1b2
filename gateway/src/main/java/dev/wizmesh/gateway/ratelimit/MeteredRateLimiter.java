package dev.wizmesh.gateway.ratelimit;

import com.codahale.metrics.health.HealthCheck;
import java.util.Optional;

/** The {@code backend: local} limiter as built: the local buckets, with every decision counted. */
final class MeteredRateLimiter implements ManagedRateLimiter {
    private final RateLimiter local;
    private final RateLimitMetrics metrics;

    MeteredRateLimiter(RateLimiter local, RateLimitMetrics metrics) {
        this.local = local;
        this.metrics = metrics;
    }

    @Override
    public RateLimitDecision tryAcquire(String policy, RateLimitKey key) {
        RateLimitDecision decision = local.tryAcquire(policy, key);
        metrics.decided(policy, decision, "local");
        return decision;
    }

    @Override
    public boolean hasPolicy(String policy) {
        return local.hasPolicy(policy);
    }

    @Override
    public Optional<HealthCheck> healthCheck() {
        return Optional.empty();
    }
}
