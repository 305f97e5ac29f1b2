package dev.wizmesh.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The bucket arithmetic, with time passed in by hand (microseconds). */
class TokenBucketTest {
    private static final long MS = 1_000;
    private static final long S = 1_000_000;

    private final TokenBucket bucket = new TokenBucket(10, 5);   // burst 10, 5 a second

    @Test
    void aNewBucketAdmitsABurstUpToItsCapacityThenRefuses() {
        TokenBucket.State state = null;
        for (int i = 0; i < 10; i++) {
            TokenBucket.Outcome outcome = bucket.take(state, 0);
            assertThat(outcome.allowed()).as("request %d", i + 1).isTrue();
            state = outcome.state();
        }
        TokenBucket.Outcome eleventh = bucket.take(state, 0);
        assertThat(eleventh.allowed()).isFalse();
    }

    @Test
    void refillsAtTheRateWithMillisecondPrecisionAndFractions() {
        TokenBucket.State empty = new TokenBucket.State(0, 0);
        assertThat(bucket.refill(empty, 100 * MS).tokens()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(bucket.take(empty, 199 * MS).allowed()).as("0.995 tokens after 199 ms").isFalse();
        assertThat(bucket.take(empty, 200 * MS).allowed()).as("1 token after 200 ms").isTrue();
        // the fraction left over is kept: 1.3 tokens → one request, 0.3 carried
        TokenBucket.Outcome outcome = bucket.take(empty, 260 * MS);
        assertThat(outcome.state().tokens()).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void admitsTheRateOverTimeAndNeverMoreThanTheCapacity() {
        TokenBucket.State state = new TokenBucket.State(0, 0);
        int admitted = 0;
        // one attempt every 10 ms for 10 s: 5 a second get through
        for (long t = 10 * MS; t <= 10 * S; t += 10 * MS) {
            TokenBucket.Outcome outcome = bucket.take(state, t);
            state = outcome.state();
            admitted += outcome.allowed() ? 1 : 0;
        }
        assertThat(admitted).as("floating-point sums may leave the 50th token a hair short").isBetween(49, 50);
        // a long idle period fills the bucket only to its capacity
        assertThat(bucket.refill(state, 1_000 * S).tokens()).isEqualTo(10);
    }

    @Test
    void aClockBehindTheLastUpdateNeitherRefillsNorRewindsTime() {
        TokenBucket.State state = new TokenBucket.State(2, 5 * S);
        TokenBucket.State refilled = bucket.refill(state, 4 * S);
        assertThat(refilled.tokens()).isEqualTo(2);
        assertThat(refilled.updatedMicros()).isEqualTo(5 * S);
    }

    @Test
    void decisionReportsLimitRemainingResetAndRetryAfter() {
        assertThat(bucket.decision(true, 7.6)).isEqualTo(new RateLimitDecision(true, 10, 7, 1, 0));
        // empty: 10 tokens at 5/s are 2 s away; the next token 0.2 s, rounded up to 1 s
        assertThat(bucket.decision(false, 0)).isEqualTo(new RateLimitDecision(false, 10, 0, 2, 1));
        TokenBucket slow = new TokenBucket(3, 0.25);   // one token every 4 s
        assertThat(slow.decision(false, 0.5)).isEqualTo(new RateLimitDecision(false, 3, 0, 10, 2));
    }

    @Test
    void millisToFullIsHowLongAnEmptyBucketTakesToFill() {
        assertThat(bucket.millisToFull()).isEqualTo(2_000);
        assertThat(new TokenBucket(1, 3).millisToFull()).isEqualTo(334);
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new TokenBucket(0.5, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(1, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void headersForAnAdmittedAndARefusedRequest() {
        assertThat(RateLimitHeaders.of(new RateLimitDecision(true, 10, 7, 1, 0))).containsExactly(
                org.assertj.core.api.Assertions.entry("X-RateLimit-Limit", "10"),
                org.assertj.core.api.Assertions.entry("X-RateLimit-Remaining", "7"),
                org.assertj.core.api.Assertions.entry("X-RateLimit-Reset", "1"));
        assertThat(RateLimitHeaders.of(new RateLimitDecision(false, 10, 0, 2, 1)))
                .containsEntry("Retry-After", "1").hasSize(4);
    }
}
