package dev.wizmesh.gateway.resilience;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and
 * Jitter"): before retry n the wait is uniform in [0, min(max, base × 2^(n-1))]. The jitter
 * spreads the retries of many clients that failed together, so they do not return together.
 */
public record Backoff(Duration base, Duration max) {

    /** The wait before retry {@code retry} (1 = the first retry). */
    public Duration delayBefore(int retry) {
        long capMillis = Math.min(max.toMillis(), base.toMillis() << Math.min(retry - 1, 20));
        return Duration.ofMillis(capMillis <= 0 ? 0 : ThreadLocalRandom.current().nextLong(capMillis + 1));
    }
}
