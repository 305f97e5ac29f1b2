package dev.wizmesh.gateway.ratelimit;

/**
 * Token-bucket arithmetic, with no clock and no storage of its own: a bucket holds up to
 * {@code capacity} tokens, gains {@code refillPerSecond} tokens a second (continuously, so
 * fractions count), and a request takes one token or is refused.
 *
 * <p>Times are microseconds from whatever clock the caller owns: {@link LocalRateLimiter} passes
 * a monotonic JVM clock, the Redis script uses Redis {@code TIME}. The Redis script repeats
 * {@link #take} in Lua (it must run inside Redis to be atomic) and hands its result back to
 * {@link #decision}, so the header arithmetic is written once.
 */
public final class TokenBucket {
    private static final double MICROS_PER_SECOND = 1_000_000d;

    private final double capacity;
    private final double refillPerSecond;

    /**
     * @param capacity        the burst: tokens a full bucket holds (may be fractional once a
     *                        policy is divided between gateway instances)
     * @param refillPerSecond the sustained rate
     */
    public TokenBucket(double capacity, double refillPerSecond) {
        if (!(capacity >= 1)) {
            throw new IllegalArgumentException("capacity must be at least 1 token, got " + capacity);
        }
        if (!(refillPerSecond > 0) || Double.isInfinite(refillPerSecond)) {
            throw new IllegalArgumentException("refillPerSecond must be a positive number, got " + refillPerSecond);
        }
        this.capacity = capacity;
        this.refillPerSecond = refillPerSecond;
    }

    /** A bucket's stored state: its tokens as of {@code updatedMicros}. */
    public record State(double tokens, long updatedMicros) {
    }

    /** The state after a request, and whether it got its token. */
    public record Outcome(State state, boolean allowed) {
    }

    public double capacity() {
        return capacity;
    }

    public double refillPerSecond() {
        return refillPerSecond;
    }

    /** The tokens {@code state} holds at {@code nowMicros}; a bucket never seen before is full. */
    public State refill(State state, long nowMicros) {
        if (state == null) {
            return new State(capacity, nowMicros);
        }
        // a clock read before a concurrent update can be behind it: no negative refill, and
        // the bucket's time never moves backwards
        long elapsed = Math.max(0, nowMicros - state.updatedMicros());
        double tokens = Math.min(capacity, state.tokens() + elapsed * refillPerSecond / MICROS_PER_SECOND);
        return new State(tokens, Math.max(nowMicros, state.updatedMicros()));
    }

    /** Refills, then takes one token if a whole one is there. */
    public Outcome take(State state, long nowMicros) {
        State refilled = refill(state, nowMicros);
        if (refilled.tokens() >= 1) {
            return new Outcome(new State(refilled.tokens() - 1, refilled.updatedMicros()), true);
        }
        return new Outcome(refilled, false);
    }

    /**
     * What the client is told: the limit (the burst), whole tokens left, seconds until the
     * bucket is full again, and when refused, seconds until the next token (at least 1, since
     * {@code Retry-After} is in whole seconds and 0 would invite an immediate retry).
     */
    public RateLimitDecision decision(boolean allowed, double tokensLeft) {
        double tokens = Math.max(0, Math.min(capacity, tokensLeft));
        long limit = (long) Math.floor(capacity);
        long remaining = (long) Math.floor(tokens);
        long reset = (long) Math.ceil((capacity - tokens) / refillPerSecond);
        long retryAfter = allowed ? 0 : Math.max(1, (long) Math.ceil((1 - tokens) / refillPerSecond));
        return new RateLimitDecision(allowed, limit, remaining, reset, retryAfter);
    }

    /**
     * How long an untouched bucket takes to fill up; after that its state equals a missing
     * one, so stores may forget it (the Redis key's TTL, the local cache's expiry).
     */
    public long millisToFull() {
        return (long) Math.ceil(capacity / refillPerSecond * 1000);
    }
}
