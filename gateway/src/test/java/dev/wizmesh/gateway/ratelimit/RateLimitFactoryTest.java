package dev.wizmesh.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.dropwizard.util.Duration;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.validation.ConstraintViolation;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code rateLimits:} block as Dropwizard reads it, and the local backend it builds. */
class RateLimitFactoryTest {
    private final ObjectMapper yaml = Jackson.newObjectMapper(new YAMLFactory());

    private RateLimitFactory read(String text) throws Exception {
        return yaml.readValue(text, RateLimitFactory.class);
    }

    @Test
    void readsEveryField() throws Exception {
        RateLimitFactory factory = read("""
                backend: redis
                gatewayInstances: 3
                onRedisDown: deny
                maxLocalBuckets: 500
                defaultPolicy: per-user
                redis:
                  url: redis://:secret@10.0.0.5:6380/2
                  timeout: 20ms
                  connectTimeout: 150ms
                  maxConnections: 16
                  minIdleConnections: 2
                  keyPrefix: "gw:rl:"
                  probeInterval: 500ms
                policies:
                  per-user: {capacity: 20, refillPerSecond: 2.5, keyBy: [user, route]}
                """);
        assertThat(factory.backend).isEqualTo(RateLimitFactory.Backend.REDIS);
        assertThat(factory.gatewayInstances).isEqualTo(3);
        assertThat(factory.onRedisDown).isEqualTo(OnRedisDown.DENY);
        assertThat(factory.maxLocalBuckets).isEqualTo(500);
        assertThat(factory.redis.url).isEqualTo(URI.create("redis://:secret@10.0.0.5:6380/2"));
        assertThat(factory.redis.timeout).isEqualTo(Duration.milliseconds(20));
        assertThat(factory.redis.probeInterval).isEqualTo(Duration.milliseconds(500));
        assertThat(factory.redis.address()).isEqualTo("10.0.0.5:6380").doesNotContain("secret");
        RateLimitPolicy policy = factory.policies.get("per-user");
        assertThat(policy.capacity).isEqualTo(20);
        assertThat(policy.refillPerSecond).isEqualTo(2.5);
        assertThat(policy.keyBy).containsExactly(KeyBy.USER, KeyBy.ROUTE);
        assertThat(Validators.newValidator().validate(factory)).isEmpty();
    }

    @Test
    void defaultsAreALocalBackendWithOnePolicy() throws Exception {
        RateLimitFactory factory = read("{}");
        assertThat(factory.backend).isEqualTo(RateLimitFactory.Backend.LOCAL);
        assertThat(factory.onRedisDown).isEqualTo(OnRedisDown.LOCAL);
        assertThat(factory.gatewayInstances).isEqualTo(1);
        assertThat(factory.redis.timeout).isEqualTo(Duration.milliseconds(50));
        assertThat(factory.policies).containsOnlyKeys("default");
        assertThat(factory.policies.get("default").keyBy).containsExactly(KeyBy.IP);
    }

    @Test
    void badValuesAreNamed() throws Exception {
        RateLimitFactory factory = read("""
                gatewayInstances: 0
                defaultPolicy: broken
                policies:
                  broken: {capacity: 0, refillPerSecond: 0, keyBy: []}
                """);
        Set<ConstraintViolation<RateLimitFactory>> violations = Validators.newValidator().validate(factory);
        assertThat(violations).extracting(v -> v.getPropertyPath().toString()).containsExactlyInAnyOrder(
                "gatewayInstances", "policies[broken].capacity", "policies[broken].refillPerSecond",
                "policies[broken].keyBy");
    }

    @Test
    void routesWithoutAPolicyGetTheDefaultOne() throws Exception {
        RateLimitFactory factory = read("{}");
        assertThat(factory.policyFor(java.util.Optional.empty())).contains("default");
        assertThat(factory.policyFor(java.util.Optional.of("per-user"))).contains("per-user");
        assertThat(read("defaultPolicy: none").policyFor(java.util.Optional.empty())).isEmpty();

        RateLimitFactory undefined = read("defaultPolicy: missing");
        assertThat(Validators.newValidator().validate(undefined))
                .extracting(ConstraintViolation::getMessage).containsExactly("defaultPolicy must name one of the policies (or be none)");
    }

    @Test
    void theLocalBackendCountsItsDecisions() {
        RateLimitFactory factory = new RateLimitFactory();
        factory.policies = java.util.Map.of("tiny", new RateLimitPolicy(2, 1, List.of(KeyBy.IP)));
        PrometheusRegistry registry = new PrometheusRegistry();
        ManagedRateLimiter limiter = factory.build(registry);
        RateLimitKey key = new RateLimitKey("10.0.0.1", null, null, null);
        for (int i = 0; i < 5; i++) {
            limiter.tryAcquire("tiny", key);
        }
        assertThat(limiter.healthCheck()).isEmpty();
        assertThat(MetricValues.of(registry, "gateway_ratelimit_decisions", "policy", "tiny", "result", "allowed", "backend", "local"))
                .isEqualTo(2);
        assertThat(MetricValues.of(registry, "gateway_ratelimit_decisions", "policy", "tiny", "result", "rejected", "backend", "local"))
                .isEqualTo(3);
    }
}
