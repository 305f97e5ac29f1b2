package dev.wizmesh.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffAndPolicyTest {
    @Test
    void backoffGrowsExponentiallyWithFullJitterUnderTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(10), Duration.ofMillis(100));
        for (int i = 0; i < 1000; i++) {
            assertThat(backoff.delayBefore(1)).isBetween(Duration.ZERO, Duration.ofMillis(10));
            assertThat(backoff.delayBefore(3)).isBetween(Duration.ZERO, Duration.ofMillis(40));
            assertThat(backoff.delayBefore(30)).isBetween(Duration.ZERO, Duration.ofMillis(100));
        }
    }

    @Test
    void onlyIdempotentMethodsAreRetriedAfterReachingTheUpstream() {
        RetryPolicy policy = new RetryPolicy();
        assertThat(policy.retriesStatus("GET", 503)).isTrue();
        assertThat(policy.retriesStatus("put", 502)).isTrue();
        assertThat(policy.retriesStatus("POST", 503)).isFalse();
        assertThat(policy.retriesStatus("PATCH", 503)).isFalse();
        assertThat(policy.retriesStatus("GET", 500)).isFalse();
        assertThat(policy.retriesTimeout("GET")).isTrue();
        assertThat(policy.retriesTimeout("POST")).isFalse();
    }
}
