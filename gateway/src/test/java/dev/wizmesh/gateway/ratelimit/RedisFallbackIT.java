package dev.wizmesh.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.codahale.metrics.health.HealthCheck;
import dev.wizmesh.testing.FreePorts;
import io.dropwizard.util.Duration;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.embedded.RedisServer;

/**
 * Redis going away and coming back under {@code backend: redis}. The shared test Redis cannot
 * be stopped, so this class runs its own redis-server (the binary shared/testing's embedded
 * Redis uses) on a free loopback port, and stops and restarts it.
 */
class RedisFallbackIT {
    private static final RateLimitKey CLIENT = new RateLimitKey("10.0.0.1", null, null, "orders");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger fallbackLogger = (Logger) LoggerFactory.getLogger(FallbackRateLimiter.class);
    private final int port = FreePorts.next();
    private RedisServer redis;
    private ManagedRateLimiter limiter;

    @BeforeEach
    void captureLog() {
        log.start();
        fallbackLogger.addAppender(log);
        fallbackLogger.setLevel(Level.INFO);
    }

    @AfterEach
    void stopEverything() throws IOException {
        fallbackLogger.detachAppender(log);
        if (limiter != null) {
            limiter.stop();
        }
        if (redis != null && redis.isActive()) {
            redis.stop();
        }
    }

    private void startRedis() throws IOException {
        redis = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                .setting("save \"\"").setting("appendonly no").build();
        redis.start();
    }

    /** Two gateways' worth of config: each takes half of a policy while Redis is down. */
    private ManagedRateLimiter limiter(OnRedisDown onRedisDown) {
        RateLimitFactory factory = new RateLimitFactory();
        factory.backend = RateLimitFactory.Backend.REDIS;
        factory.gatewayInstances = 2;
        factory.onRedisDown = onRedisDown;
        factory.redis.url = URI.create("redis://127.0.0.1:" + port);
        // generous for a loaded build machine; a stopped Redis refuses connections at once anyway
        factory.redis.timeout = Duration.milliseconds(500);
        factory.redis.connectTimeout = Duration.milliseconds(500);
        factory.redis.probeInterval = Duration.milliseconds(100);
        // 10 tokens, refilling one per 100 s: no refill during the test, so counts are exact
        factory.policies = Map.of("tiny", new RateLimitPolicy(10, 0.01, List.of(KeyBy.IP)));
        limiter = factory.build(registry);
        limiter.start();
        return limiter;
    }

    private int admitted(int attempts) {
        int n = 0;
        for (int i = 0; i < attempts; i++) {
            n += limiter.tryAcquire("tiny", CLIENT).allowed() ? 1 : 0;
        }
        return n;
    }

    private HealthCheck.Result health() {
        return limiter.healthCheck().orElseThrow().execute();
    }

    private double metric(String name, String... labels) {
        return MetricValues.of(registry, name, labels);
    }

    private List<String> messages(Level level) {
        return log.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void fallsBackToTheLocalShareWhileRedisIsDownAndReturnsWhenItIsBack() throws Exception {
        startRedis();
        limiter(OnRedisDown.LOCAL);
        JedisPooled admin = new JedisPooled("127.0.0.1", port);
        assertThat(admin.scriptExists(List.of(RedisRateLimiter.SCRIPT_SHA))).as("a fresh Redis: NOSCRIPT first").containsExactly(false);

        assertThat(admitted(20)).as("Redis: the whole burst").isEqualTo(10);
        assertThat(admin.scriptExists(List.of(RedisRateLimiter.SCRIPT_SHA))).as("EVAL after NOSCRIPT cached it").containsExactly(true);
        admin.close();
        assertThat(health().isHealthy()).isTrue();
        assertThat(metric("gateway_ratelimit_redis_available")).isEqualTo(1);
        assertThat(metric("gateway_ratelimit_decisions", "backend", "redis", "result", "allowed")).isEqualTo(10);

        redis.stop();
        // no exception, no stall: decided here, at half the policy (this is one of two gateways)
        int admittedWhileDown = assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), () -> admitted(20));
        assertThat(admittedWhileDown).isEqualTo(5);
        assertThat(health().isHealthy()).isFalse();
        assertThat(health().getMessage()).contains("127.0.0.1:" + port, "unreachable", "per gateway instance");
        assertThat(metric("gateway_ratelimit_redis_available")).isEqualTo(0);
        assertThat(metric("gateway_ratelimit_fallback_decisions", "policy", "tiny", "mode", "local")).isEqualTo(20);
        assertThat(metric("gateway_ratelimit_decisions", "backend", "fallback", "result", "allowed")).isEqualTo(5);
        assertThat(messages(Level.WARN)).as("the switch is logged once, not per request").hasSize(1);

        startRedis();
        FallbackRateLimiter fallback = (FallbackRateLimiter) limiter;
        for (int i = 0; i < 300 && !fallback.redisAvailable(); i++) {
            Thread.sleep(50);   // the probe runs every 100 ms
        }
        assertThat(fallback.redisAvailable()).as("the probe found Redis again").isTrue();
        assertThat(health().isHealthy()).isTrue();
        assertThat(metric("gateway_ratelimit_redis_available")).isEqualTo(1);
        assertThat(messages(Level.INFO)).hasSize(1).first().asString().contains("answers again");

        // the restarted Redis kept nothing: a full bucket again, decided by Redis (10, not 5)
        assertThat(admitted(20)).isEqualTo(10);
        assertThat(metric("gateway_ratelimit_decisions", "backend", "redis", "result", "allowed")).isEqualTo(20);
        assertThat(metric("gateway_ratelimit_fallback_decisions", "policy", "tiny", "mode", "local")).isEqualTo(20);
        assertThat(messages(Level.WARN)).hasSize(1);
    }

    @Test
    void failOpenAdmitsEverythingWithoutRedis() {
        limiter(OnRedisDown.ALLOW);   // nothing listens on the port
        assertThat(admitted(30)).isEqualTo(30);
        assertThat(health().isHealthy()).isFalse();
        assertThat(metric("gateway_ratelimit_fallback_decisions", "policy", "tiny", "mode", "allow")).isEqualTo(30);
    }

    @Test
    void failClosedRefusesEverythingWithoutRedis() {
        limiter(OnRedisDown.DENY);
        RateLimitDecision decision = limiter.tryAcquire("tiny", CLIENT);
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.limit()).isEqualTo(10);
        assertThat(decision.retryAfterSeconds()).isEqualTo(1);
        assertThat(admitted(10)).isZero();
        assertThat(metric("gateway_ratelimit_decisions", "backend", "fallback", "result", "rejected")).isEqualTo(11);
    }

    @Test
    void anUnknownPolicyIsAConfigErrorNotARedisOutage() {
        limiter(OnRedisDown.LOCAL);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> limiter.tryAcquire("nope", CLIENT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(health().isHealthy()).isTrue();
        assertThat(limiter.hasPolicy("tiny")).isTrue();
    }
}
