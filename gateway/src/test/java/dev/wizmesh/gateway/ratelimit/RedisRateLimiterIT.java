package dev.wizmesh.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wizmesh.testing.RedisExtension;
import dev.wizmesh.testing.RedisServerInfo;
import io.dropwizard.util.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisPooled;

/** The Redis limiter against a real redis-server (embedded, or WIZMESH_TEST_REDIS_URL). */
class RedisRateLimiterIT {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    private final Map<String, RateLimitPolicy> policies = Map.of(
            "per-ip", new RateLimitPolicy(10, 100, List.of(KeyBy.IP)),
            "per-user", new RateLimitPolicy(3, 1, List.of(KeyBy.USER)),
            "shared", new RateLimitPolicy(50, 100, List.of(KeyBy.ROUTE)));
    private final List<RedisRateLimiter> limiters = new ArrayList<>();
    private JedisPooled admin;
    private String prefix;

    @BeforeEach
    void connect() {
        RedisServerInfo server = REDIS.server();
        admin = new JedisPooled(server.uri());
        // each test its own keys: the class prefix plus a counter
        prefix = server.key("t" + System.nanoTime() + ":");
    }

    @AfterEach
    void close() {
        limiters.forEach(RedisRateLimiter::close);
        admin.close();
    }

    /** A "gateway": its own pool, with a timeout generous enough for a loaded test machine. */
    private RedisRateLimiter gateway() {
        RedisFactory factory = new RedisFactory();
        factory.url = REDIS.server().uri();
        factory.timeout = Duration.seconds(2);
        factory.connectTimeout = Duration.seconds(2);
        factory.maxConnections = 4;
        RedisRateLimiter limiter = new RedisRateLimiter(factory.buildClient("ratelimit-it"), prefix, policies);
        limiters.add(limiter);
        return limiter;
    }

    private static RateLimitKey ip(String ip) {
        return new RateLimitKey(ip, null, null, "orders");
    }

    /** Redis's clock in microseconds. */
    private long redisMicros() {
        @SuppressWarnings("unchecked")
        List<Object> time = (List<Object>) admin.sendCommand(redis.clients.jedis.Protocol.Command.TIME);
        return Long.parseLong(new String((byte[]) time.get(0))) * 1_000_000 + Long.parseLong(new String((byte[]) time.get(1)));
    }

    @Test
    void admitsTheBurstThenRefusesWithRetryAfter() {
        RedisRateLimiter limiter = gateway();
        int admitted = 0;
        for (int i = 0; i < 10; i++) {
            RateLimitDecision decision = limiter.tryAcquire("per-user", new RateLimitKey("10.0.0.1", "alice", null, null));
            admitted += decision.allowed() ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(3);
        RateLimitDecision refused = limiter.tryAcquire("per-user", new RateLimitKey("10.0.0.1", "alice", null, null));
        // 1 token a second: the next one is at most 1 s away, the bucket full in at most 3
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.limit()).isEqualTo(3);
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        assertThat(refused.resetSeconds()).isBetween(2L, 3L);
    }

    @Test
    void refillsByRedisTimeWithMillisecondPrecision() {
        RedisRateLimiter limiter = gateway();
        String key = limiter.bucketKey("per-ip", ip("10.0.0.1"));
        // an empty bucket last touched 55 ms ago (by Redis's clock): at 100 tokens a second it
        // has refilled 5.5 tokens. A whole-second clock would see 0 tokens, or a full bucket.
        admin.hset(key, Map.of("tokens", "0", "ts", Long.toString(redisMicros() - 55_000)));
        RateLimitDecision decision = limiter.tryAcquire("per-ip", ip("10.0.0.1"));
        assertThat(decision.allowed()).isTrue();
        // 5.5 tokens (plus the few ms between the two commands), one taken
        assertThat(decision.remaining()).isBetween(4L, 6L);
        double tokens = Double.parseDouble(admin.hget(key, "tokens"));
        assertThat(tokens - Math.floor(tokens)).as("fractions are kept").isGreaterThan(0);
    }

    @Test
    void bucketsAreSeparatePerKeyAndPolicyAndExpire() {
        RedisRateLimiter limiter = gateway();
        for (int i = 0; i < 20; i++) {
            limiter.tryAcquire("per-user", new RateLimitKey("10.0.0.1", "alice", null, null));
        }
        assertThat(limiter.tryAcquire("per-user", new RateLimitKey("10.0.0.1", "alice", null, null)).allowed()).isFalse();
        assertThat(limiter.tryAcquire("per-user", new RateLimitKey("10.0.0.1", "bob", null, null)).allowed())
                .as("another user").isTrue();
        assertThat(limiter.tryAcquire("per-user", new RateLimitKey("10.0.0.1", null, null, null)).allowed())
                .as("anonymous from alice's address: by ip").isTrue();
        assertThat(limiter.tryAcquire("per-ip", new RateLimitKey("10.0.0.1", "alice", null, null)).allowed())
                .as("another policy").isTrue();

        String key = limiter.bucketKey("per-user", new RateLimitKey("10.0.0.1", "alice", null, null));
        assertThat(key).isEqualTo(prefix + "per-user:user=alice");
        // 3 tokens at 1/s fill in 3 s: the key outlives that by a second, no more
        assertThat(admin.pttl(key)).isBetween(1L, 4_000L);
    }

    @Test
    void twoGatewaysSharingRedisAdmitTheConfiguredRateWithinFivePercent() throws Exception {
        List<RedisRateLimiter> gateways = List.of(gateway(), gateway());
        AtomicLong admitted = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        RateLimitKey key = ip("10.0.0.1");
        long stopAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        List<Thread> threads = new ArrayList<>();
        long startMicros = redisMicros();
        for (RedisRateLimiter g : gateways) {
            for (int t = 0; t < 2; t++) {
                Thread thread = new Thread(() -> {
                    try {
                        while (System.nanoTime() < stopAt) {
                            if (g.tryAcquire("shared", key).allowed()) {
                                admitted.incrementAndGet();
                            }
                            // ~2,000 attempts a second per thread: far above the 100/s allowed,
                            // without burning both cores of the build machine
                            LockSupport.parkNanos(500_000);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "gateway-" + threads.size());
                threads.add(thread);
                thread.start();
            }
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long endMicros = redisMicros();
        assertThat(failures).isEmpty();
        // the bucket starts full (50) and refills at 100 a second, by Redis's clock
        double expected = 50 + 100 * (endMicros - startMicros) / 1e6;
        System.out.printf("two gateways: admitted %d, expected %.1f over %.3f s of Redis time%n",
                admitted.get(), expected, (endMicros - startMicros) / 1e6);
        assertThat((double) admitted.get()).as("admitted over %.3f s", (endMicros - startMicros) / 1e6).isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(5));
    }
}
