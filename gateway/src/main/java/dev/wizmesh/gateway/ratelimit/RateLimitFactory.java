package dev.wizmesh.gateway.ratelimit;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wizmesh.platform.PlatformBundle;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.validation.ValidationMethod;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.Map;

/**
 * The gateway's {@code rateLimits:} block. Routes name a policy; each policy is a token bucket
 * per client IP, user, tenant, route, or a combination.
 *
 * <pre>
 * rateLimits:
 *   backend: local                 # local (this JVM) | redis (shared by every gateway instance)
 *   gatewayInstances: 1            # Redis down: each instance enforces rate / gatewayInstances
 *   onRedisDown: local             # local | allow (fail open) | deny (fail closed)
 *   maxLocalBuckets: 100000        # in-memory buckets kept at most (local backend and fallback)
 *   defaultPolicy: default         # for routes that name no policy ("" or none: no limit)
 *   redis:
 *     url: redis://127.0.0.1:6379
 *     timeout: 50ms
 *   policies:
 *     default: {capacity: 100, refillPerSecond: 50, keyBy: [ip]}
 *     per-user: {capacity: 20, refillPerSecond: 5, keyBy: [user]}   # anonymous: by ip
 * </pre>
 */
public class RateLimitFactory {
    public enum Backend { LOCAL, REDIS }

    @NotNull
    @JsonProperty
    public Backend backend = Backend.LOCAL;

    @Min(1)
    @JsonProperty
    public int gatewayInstances = 1;

    @NotNull
    @JsonProperty
    public OnRedisDown onRedisDown = OnRedisDown.LOCAL;

    @Min(1)
    @JsonProperty
    public long maxLocalBuckets = 100_000;

    @Valid
    @NotNull
    @JsonProperty
    public RedisFactory redis = new RedisFactory();

    @Valid
    @NotNull
    @JsonProperty
    public Map<String, RateLimitPolicy> policies = Map.of("default", new RateLimitPolicy());

    /** The policy of routes that do not name one; empty or {@code none}: such routes are not limited. */
    @JsonProperty
    public String defaultPolicy = "default";

    /** The policy for a route: its own, else {@link #defaultPolicy}; empty when the route is not limited. */
    public java.util.Optional<String> policyFor(java.util.Optional<String> routePolicy) {
        if (routePolicy.isPresent()) {
            return routePolicy;
        }
        return defaultPolicy == null || defaultPolicy.isBlank() || "none".equals(defaultPolicy)
                ? java.util.Optional.empty() : java.util.Optional.of(defaultPolicy);
    }

    @ValidationMethod(message = "defaultPolicy must name one of the policies (or be none)")
    @JsonIgnore
    public boolean isDefaultPolicyDefined() {
        return policyFor(java.util.Optional.empty()).map(policies::containsKey).orElse(true);
    }

    /**
     * Wires the limiter into the app: its metrics into the platform's Prometheus registry, its
     * life (the Redis probe and pool) into the app's lifecycle, and with {@code backend: redis}
     * the non-critical {@code ratelimit-redis} health check (Redis down degrades the limits, it
     * does not stop the gateway).
     */
    public RateLimiter build(Environment environment, PlatformBundle<?> platform) {
        ManagedRateLimiter limiter = build(platform.metrics().registry());
        environment.lifecycle().manage(limiter);
        limiter.healthCheck().ifPresent(check -> platform.healthChecks().nonCritical("ratelimit-redis", check));
        return limiter;
    }

    /**
     * The limiter without Dropwizard, for tests: the caller registers the health check if it
     * wants one, and calls {@code start()} and {@code stop()}.
     */
    public ManagedRateLimiter build(PrometheusRegistry registry) {
        RateLimitMetrics metrics = RateLimitMetrics.register(registry);
        if (backend == Backend.LOCAL) {
            return new MeteredRateLimiter(
                    new LocalRateLimiter(policies, 1, maxLocalBuckets, LocalRateLimiter.MONOTONIC_MICROS), metrics);
        }
        RedisRateLimiter shared = new RedisRateLimiter(redis.buildClient("wizmesh-gateway-ratelimit"), redis.keyPrefix, policies);
        LocalRateLimiter localShare = new LocalRateLimiter(policies, gatewayInstances, maxLocalBuckets,
                LocalRateLimiter.MONOTONIC_MICROS);
        return new FallbackRateLimiter(shared, localShare, onRedisDown, policies, metrics,
                Duration.ofMillis(redis.probeInterval.toMilliseconds()), redis.address());
    }
}
