package dev.wizmesh.discovery.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The cost arithmetic itself, on one instance. */
class PeakEwmaLoadTest {
    private static final long MS = Duration.ofMillis(1).toNanos();
    private static final long DECAY = Duration.ofSeconds(10).toNanos();

    private final PeakEwmaLoad load = new PeakEwmaLoad(DECAY);
    private long now = 0;

    @Test
    void aNeverMeasuredInstanceIsFreeWhileIdleAndDearestWhileBusy() {
        assertThat(load.cost(now)).isZero();

        load.started();

        assertThat(load.cost(now)).isGreaterThan(1e12); // dearer than 1000 calls in flight at 1 s each
    }

    @Test
    void costIsTheEstimateTimesCallsInFlightPlusOne() {
        observe(20 * MS, true);

        load.started();
        load.started();

        assertThat(load.cost(now)).isCloseTo(3 * 20.0 * MS, within(1.0));
    }

    @Test
    void aSlowerAnswerReplacesTheEstimateAtOnce() {
        observe(10 * MS, true);
        now += MS;

        observe(300 * MS, true);

        assertThat(load.cost(now)).isCloseTo(300.0 * MS, within(1.0));
    }

    @Test
    void fasterAnswersPullItDownByHowMuchTimeHasPassed() {
        observe(100 * MS, true);
        now += DECAY;

        observe(10 * MS, true);

        // the past weighs e^-1 after one decay window: 100 × 0.37 + 10 × 0.63
        assertThat(load.cost(now) / MS).isCloseTo(100 * Math.exp(-1) + 10 * (1 - Math.exp(-1)), within(0.01));
    }

    @Test
    void anUntouchedEstimateDecaysTowardsZero() {
        observe(100 * MS, true);

        now += 3 * DECAY;

        assertThat(load.cost(now) / MS).isCloseTo(100 * Math.exp(-3), within(0.01));
    }

    @Test
    void aFastFailureDoesNotMakeAnInstanceLookFast() {
        observe(100 * MS, true);

        for (int i = 0; i < 100; i++) {
            now += DECAY / 10;
            observe(MS, false);
        }

        assertThat(load.cost(now) / MS).isCloseTo(100, within(0.01));
    }

    @Test
    void aSlowFailureRaisesTheEstimateLikeAnySlowAnswer() {
        observe(10 * MS, true);

        observe(5_000 * MS, false);

        assertThat(load.cost(now) / MS).isCloseTo(5_000, within(0.01));
    }

    private void observe(long latencyNanos, boolean success) {
        load.started();
        load.completed(latencyNanos, success, now);
    }
}
