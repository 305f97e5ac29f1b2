package dev.wizmesh.transactions;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How one step's phase is retried: at most {@code maxAttempts} calls, none started after
 * {@code maxDuration} from the first, each given {@code attemptTimeout}, with exponential back-off
 * and jitter between them. There is deliberately no "forever": a step that cannot succeed must
 * end in a decision (compensate, or ask an operator), not in a loop nobody sees.
 *
 * @param maxAttempts    calls in all, the first included (1 = no retry)
 * @param initialBackoff the wait before the second attempt
 * @param multiplier     each wait is this times the one before ...
 * @param maxBackoff     ... up to this
 * @param maxDuration    no attempt starts later than this after the first one started
 * @param attemptTimeout how long one call may take (the participant's deadline)
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff,
                          Duration maxDuration, Duration attemptTimeout) {
    /** 5 attempts, 100 ms doubling to 2 s, within 30 s, 5 s each. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(100), 2.0, Duration.ofSeconds(2),
            Duration.ofSeconds(30), Duration.ofSeconds(5));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (multiplier < 1.0) {
            throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
        }
        requirePositive(initialBackoff, "initialBackoff");
        requirePositive(maxBackoff, "maxBackoff");
        requirePositive(maxDuration, "maxDuration");
        requirePositive(attemptTimeout, "attemptTimeout");
    }

    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, initialBackoff, multiplier, maxBackoff, maxDuration, attemptTimeout);
    }

    public RetryPolicy withBackoff(Duration initial, Duration max) {
        return new RetryPolicy(maxAttempts, initial, multiplier, max, maxDuration, attemptTimeout);
    }

    public RetryPolicy withMaxDuration(Duration duration) {
        return new RetryPolicy(maxAttempts, initialBackoff, multiplier, maxBackoff, duration, attemptTimeout);
    }

    public RetryPolicy withAttemptTimeout(Duration timeout) {
        return new RetryPolicy(maxAttempts, initialBackoff, multiplier, maxBackoff, maxDuration, timeout);
    }

    /**
     * The wait after attempt {@code attempt} (1-based) failed: the exponential step, half of it
     * fixed and half random, so retries of many transactions do not arrive in step.
     */
    public Duration backoffAfter(int attempt) {
        double exponential = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
        long capped = (long) Math.min(exponential, maxBackoff.toMillis());
        long half = capped / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(capped - half + 1));
    }

    /** Whether another attempt may start, after {@code attemptsSoFar} calls, the first {@code sinceFirst} ago. */
    public boolean allowsAnother(int attemptsSoFar, Duration sinceFirst) {
        return attemptsSoFar < maxAttempts && sinceFirst.compareTo(maxDuration) < 0;
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
