package dev.wizmesh.user.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing per account: after {@code maxFailures} failed logins in a row,
 * the account (tenant + email) is locked for {@code lockout}, doubling with each further failure
 * up to {@code maxLockout}; a successful login clears it. Keys that name no user are throttled
 * the same way, so a 429 does not reveal whether an account exists.
 *
 * <p>Per instance and in memory: with N instances behind a balancer a guesser gets up to N times
 * the attempts. A shared store (Redis, once the cache issue lands) closes that gap; the lock
 * itself stays this simple.
 */
public final class LoginThrottle {
    private static final int MAX_TRACKED = 100_000;

    private final int maxFailures;
    private final Duration lockout;
    private final Duration maxLockout;
    private final Clock clock;
    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();

    private record Failures(int count, Instant lockedUntil, Instant last) {
    }

    public LoginThrottle(int maxFailures, Duration lockout, Duration maxLockout, Clock clock) {
        this.maxFailures = maxFailures;
        this.lockout = lockout;
        this.maxLockout = maxLockout;
        this.clock = clock;
    }

    /** Whole seconds until {@code account} may try again; 0 when it may try now. */
    public long retryAfterSeconds(String account) {
        Failures f = failures.get(account);
        if (f == null || f.lockedUntil == null) {
            return 0;
        }
        Duration left = Duration.between(clock.instant(), f.lockedUntil);
        return left.isNegative() || left.isZero() ? 0 : Math.max(1, (left.toMillis() + 999) / 1000);
    }

    public void recordFailure(String account) {
        Instant now = clock.instant();
        if (failures.size() >= MAX_TRACKED) {
            forgetOlderThan(now.minus(maxLockout));
        }
        failures.compute(account, (key, f) -> {
            int count = f == null ? 1 : f.count + 1;
            Instant lockedUntil = null;
            if (count >= maxFailures) {
                int doublings = Math.min(count - maxFailures, 20);
                Duration lock = lockout.multipliedBy(1L << doublings);
                lockedUntil = now.plus(lock.compareTo(maxLockout) > 0 ? maxLockout : lock);
            }
            return new Failures(count, lockedUntil, now);
        });
    }

    public void recordSuccess(String account) {
        failures.remove(account);
    }

    private void forgetOlderThan(Instant cutoff) {
        failures.entrySet().removeIf(e -> e.getValue().last.isBefore(cutoff));
    }
}
