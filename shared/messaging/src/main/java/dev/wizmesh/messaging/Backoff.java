package dev.wizmesh.messaging;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential back-off: the delay before attempt {@code n+1} after {@code n} failures is
 * {@code initial * multiplier^(n-1)}, capped at {@code max}. Used by the outbox relay (between publishes of a
 * row) and by consumers (between deliveries of a message).
 */
public record Backoff(Duration initial, Duration max, double multiplier) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), 2.0);

    public Backoff {
        Objects.requireNonNull(initial, "backoff initial delay is required");
        Objects.requireNonNull(max, "backoff max delay is required");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("backoff initial delay must be positive, was " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff max delay (" + max + ") must be at least the initial delay (" + initial + ")");
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("backoff multiplier must be a finite number >= 1, was " + multiplier);
        }
    }

    /** The delay after {@code failures} failures so far (1 = the first failure). */
    public Duration delayAfter(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1, was " + failures);
        }
        double millis = initial.toMillis() * Math.pow(multiplier, failures - 1);
        return millis >= max.toMillis() ? max : Duration.ofMillis((long) millis);
    }
}
