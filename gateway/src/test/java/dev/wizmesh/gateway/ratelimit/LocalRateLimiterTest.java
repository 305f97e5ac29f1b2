package dev.wizmesh.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The in-memory limiter, on a clock the test moves. */
class LocalRateLimiterTest {
    private static final long MS = 1_000;

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final Map<String, RateLimitPolicy> policies = Map.of(
            "per-ip", new RateLimitPolicy(10, 5, List.of(KeyBy.IP)),
            "per-user", new RateLimitPolicy(3, 1, List.of(KeyBy.USER)),
            "per-tenant-route", new RateLimitPolicy(2, 1, List.of(KeyBy.TENANT, KeyBy.ROUTE)));
    private final LocalRateLimiter limiter = new LocalRateLimiter(policies, 1, 10_000, clock::get);

    private static RateLimitKey ip(String ip) {
        return new RateLimitKey(ip, null, null, "orders");
    }

    private int admitted(String policy, RateLimitKey key, int attempts) {
        int n = 0;
        for (int i = 0; i < attempts; i++) {
            n += limiter.tryAcquire(policy, key).allowed() ? 1 : 0;
        }
        return n;
    }

    @Test
    void admitsTheCapacityThenTheRefillRate() {
        assertThat(admitted("per-ip", ip("10.0.0.1"), 25)).isEqualTo(10);
        RateLimitDecision refused = limiter.tryAcquire("per-ip", ip("10.0.0.1"));
        assertThat(refused).isEqualTo(new RateLimitDecision(false, 10, 0, 2, 1));

        // 5 a second: one token every 200 ms
        clock.addAndGet(199 * MS);
        assertThat(limiter.tryAcquire("per-ip", ip("10.0.0.1")).allowed()).isFalse();
        clock.addAndGet(2 * MS);
        assertThat(limiter.tryAcquire("per-ip", ip("10.0.0.1")).allowed()).isTrue();
        // three seconds later: 15 tokens' worth, capped at the burst of 10
        clock.addAndGet(3_000 * MS);
        assertThat(admitted("per-ip", ip("10.0.0.1"), 25)).isEqualTo(10);
    }

    @Test
    void bucketsAreSeparatePerKeyAndPerPolicy() {
        assertThat(admitted("per-ip", ip("10.0.0.1"), 20)).isEqualTo(10);
        assertThat(admitted("per-ip", ip("10.0.0.2"), 20)).as("another address").isEqualTo(10);
        RateLimitKey alice = new RateLimitKey("10.0.0.1", "alice", "t1", "orders");
        assertThat(admitted("per-user", alice, 20)).as("another policy, same address").isEqualTo(3);
        assertThat(admitted("per-tenant-route", alice, 20)).isEqualTo(2);
        assertThat(admitted("per-tenant-route", new RateLimitKey("10.0.0.1", "alice", "t1", "products"), 20))
                .as("same tenant, another route").isEqualTo(2);
    }

    @Test
    void anAnonymousRequestOnAUserPolicyIsLimitedByItsAddress() {
        RateLimitKey anonymous1 = new RateLimitKey("10.0.0.1", null, null, "orders");
        RateLimitKey anonymous2 = new RateLimitKey("10.0.0.2", null, null, "orders");
        assertThat(admitted("per-user", anonymous1, 10)).isEqualTo(3);
        assertThat(admitted("per-user", anonymous2, 10)).as("not one shared anonymous bucket").isEqualTo(3);
        assertThat(admitted("per-user", new RateLimitKey("10.0.0.1", "bob", null, "orders"), 10))
                .as("bob from the same address has his own bucket").isEqualTo(3);
    }

    @Test
    void aShareDividesTheBurstAndTheRateBetweenInstances() {
        LocalRateLimiter third = new LocalRateLimiter(policies, 3, 10_000, clock::get);
        // 10 / 3 = 3.33 tokens: 3 requests; 5/s / 3 = 1 token every 600 ms
        int burst = 0;
        for (int i = 0; i < 10; i++) {
            burst += third.tryAcquire("per-ip", ip("10.0.0.9")).allowed() ? 1 : 0;
        }
        assertThat(burst).isEqualTo(3);
        assertThat(third.tryAcquire("per-ip", ip("10.0.0.9")).limit()).isEqualTo(3);
        clock.addAndGet(410 * MS);   // 0.33 + 0.68 = just over 1 token
        assertThat(third.tryAcquire("per-ip", ip("10.0.0.9")).allowed()).isTrue();
        // a share never falls below one token of burst
        LocalRateLimiter many = new LocalRateLimiter(policies, 100, 10_000, clock::get);
        assertThat(many.tryAcquire("per-user", ip("10.0.0.9")).allowed()).isTrue();
    }

    @Test
    void concurrentRequestsOnOneKeyGetExactlyTheTokensThereAre() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                tasks.add(() -> admitted("per-ip", ip("10.0.0.1"), 500));
            }
            int total = 0;
            for (Future<Integer> f : pool.invokeAll(tasks)) {
                total += f.get();
            }
            assertThat(total).as("the clock stands still: the burst and nothing more").isEqualTo(10);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void keepsAtMostMaxBuckets() {
        LocalRateLimiter small = new LocalRateLimiter(policies, 1, 100, clock::get);
        for (int i = 0; i < 5_000; i++) {
            small.tryAcquire("per-ip", ip("10.1." + (i / 256) + "." + (i % 256)));
        }
        assertThat(small.bucketCount()).isLessThanOrEqualTo(100);
    }

    @Test
    void anUnknownPolicyIsAnError() {
        assertThat(limiter.hasPolicy("per-ip")).isTrue();
        assertThat(limiter.hasPolicy("nope")).isFalse();
        assertThatThrownBy(() -> limiter.tryAcquire("nope", ip("10.0.0.1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
    }
}
