package dev.wizmesh.gateway.ratelimit;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.BooleanSupplier;

/**
 * The rate limiter's Prometheus metrics:
 * <ul>
 *   <li>{@code gateway_ratelimit_decisions_total{policy,result,backend}}: result is
 *       {@code allowed} or {@code rejected}; backend is who decided: {@code local},
 *       {@code redis}, or {@code fallback} (Redis was down);</li>
 *   <li>{@code gateway_ratelimit_fallback_decisions_total{policy,mode}}: decisions taken without
 *       Redis, by {@code onRedisDown} mode ({@code local}, {@code allow}, {@code deny});</li>
 *   <li>{@code gateway_ratelimit_redis_available}: 1 while decisions go to Redis, 0 while they
 *       fall back (only with {@code backend: redis}).</li>
 * </ul>
 * Labels are policy names from the YAML, never request values, so the label set stays small.
 */
public final class RateLimitMetrics {
    private final PrometheusRegistry registry;
    private final Counter decisions;
    private final Counter fallbackDecisions;

    private RateLimitMetrics(PrometheusRegistry registry) {
        this.registry = registry;
        decisions = Counter.builder().name("gateway_ratelimit_decisions_total")
                .help("Rate-limit decisions, by policy, result and the backend that decided")
                .labelNames("policy", "result", "backend")
                .register(registry);
        fallbackDecisions = Counter.builder().name("gateway_ratelimit_fallback_decisions_total")
                .help("Rate-limit decisions taken without Redis because it was unreachable, by onRedisDown mode")
                .labelNames("policy", "mode")
                .register(registry);
    }

    public static RateLimitMetrics register(PrometheusRegistry registry) {
        return new RateLimitMetrics(registry);
    }

    void decided(String policy, RateLimitDecision decision, String backend) {
        decisions.labelValues(policy, decision.allowed() ? "allowed" : "rejected", backend).inc();
    }

    void fellBack(String policy, String mode) {
        fallbackDecisions.labelValues(policy, mode).inc();
    }

    void redisAvailability(BooleanSupplier available) {
        GaugeWithCallback.builder().name("gateway_ratelimit_redis_available")
                .help("1 while rate-limit decisions go to Redis, 0 while Redis is unreachable and they fall back")
                .callback(cb -> cb.call(available.getAsBoolean() ? 1 : 0))
                .register(registry);
    }
}
