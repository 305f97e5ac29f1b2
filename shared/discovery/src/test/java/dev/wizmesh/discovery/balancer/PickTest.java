package dev.wizmesh.discovery.balancer;

import static dev.wizmesh.discovery.balancer.TestInstances.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PickTest {
    private final FakeNanoClock clock = new FakeNanoClock();
    private final List<String> reports = new ArrayList<>();
    private final Pick pick = new Pick(instance("a"), clock,
            (latency, success) -> reports.add(latency.toMillis() + "ms " + (success ? "ok" : "failed")));

    @Test
    void onlyTheFirstCompletionIsReported() {
        pick.complete(Duration.ofMillis(12), true);
        pick.complete(Duration.ofMillis(40), false);
        pick.close();

        assertThat(reports).containsExactly("12ms ok");
    }

    @Test
    void completingWithoutALatencyTimesTheCallFromThePick() {
        clock.advance(Duration.ofMillis(25));

        pick.complete(true);

        assertThat(reports).containsExactly("25ms ok");
    }

    @Test
    void closingAnUncompletedPickReportsAFailure() {
        clock.advance(Duration.ofMillis(7));

        try (Pick ignored = pick) {
            // the call threw, or the caller forgot to complete
        }

        assertThat(reports).containsExactly("7ms failed");
    }

    @Test
    void aNegativeLatencyIsRefusedAndLeavesThePickOpen() {
        assertThatThrownBy(() -> pick.complete(Duration.ofMillis(-1), true))
                .isInstanceOf(IllegalArgumentException.class);

        pick.complete(Duration.ofMillis(3), true);
        assertThat(reports).containsExactly("3ms ok");
    }

    @Test
    void aChainedPickReportsToBothListenersOnce() {
        List<Boolean> second = new ArrayList<>();
        clock.advance(Duration.ofMillis(5));
        Pick chained = pick.andThen((latency, success) -> second.add(success));
        clock.advance(Duration.ofMillis(5));

        chained.complete(false);
        chained.complete(true);

        assertThat(reports).containsExactly("10ms failed"); // timed from the original pick
        assertThat(second).containsExactly(false);
        assertThat(chained.instance()).isEqualTo(pick.instance());
    }
}
