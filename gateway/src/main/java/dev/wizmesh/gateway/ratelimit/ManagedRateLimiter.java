package dev.wizmesh.gateway.ratelimit;

import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.lifecycle.Managed;
import java.util.Optional;

/**
 * A {@link RateLimiter} as {@link RateLimitFactory} builds it: with a life (started and stopped
 * with the app: the Redis probe, the connection pool) and, for the Redis backend, a health check.
 */
public interface ManagedRateLimiter extends RateLimiter, Managed {
    /** The check registered as {@code ratelimit-redis}; empty for the local backend, which cannot fail. */
    Optional<HealthCheck> healthCheck();

    /** Starts background work (the Redis probe); nothing to do for the local backend. */
    @Override
    default void start() {
    }

    /** Stops background work and closes connections; nothing to do for the local backend. */
    @Override
    default void stop() {
    }
}
