package dev.wizmesh.discovery.balancer;

import static dev.wizmesh.discovery.balancer.TestInstances.instance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wizmesh.discovery.ServiceInstance;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutlierDetectorTest {
    private static final Duration BASE = Duration.ofSeconds(30);

    private final FakeNanoClock clock = new FakeNanoClock();
    private final OutlierDetector detector = new OutlierDetector(5, BASE, Duration.ofSeconds(90), 50, clock);

    private final ServiceInstance a = instance("a");
    private final ServiceInstance b = instance("b");
    private final ServiceInstance c = instance("c");
    private final ServiceInstance d = instance("d");
    private final List<ServiceInstance> pool = List.of(a, b, c, d);

    @Test
    void consecutiveFailuresEjectAnInstance() {
        detector.filter(pool);

        fail(a, 4);
        assertThat(detector.isEjected(a)).isFalse();

        fail(a, 1);
        assertThat(detector.isEjected(a)).isTrue();
        assertThat(detector.filter(pool)).containsExactly(b, c, d);
    }

    @Test
    void aSuccessStartsTheCountAgain() {
        detector.filter(pool);

        fail(a, 4);
        detector.record(a, true);
        fail(a, 4);

        assertThat(detector.isEjected(a)).isFalse();
    }

    @Test
    void anEjectedInstanceComesBackWhenItsTimeIsUp() {
        detector.filter(pool);
        fail(a, 5);

        clock.advance(BASE.minusMillis(1));
        assertThat(detector.filter(pool)).doesNotContain(a);

        clock.advance(Duration.ofMillis(1));
        assertThat(detector.filter(pool)).contains(a);
    }

    @Test
    void eachEjectionLastsLongerUpToTheMaximum() {
        detector.filter(pool);

        assertThat(ejectionLength(a)).isEqualTo(Duration.ofSeconds(30));
        assertThat(ejectionLength(a)).isEqualTo(Duration.ofSeconds(60));
        assertThat(ejectionLength(a)).isEqualTo(Duration.ofSeconds(90));
        assertThat(ejectionLength(a)).isEqualTo(Duration.ofSeconds(90)); // capped
    }

    @Test
    void timeBackInForgivesPastEjections() {
        detector.filter(pool);
        ejectionLength(a); // 30 s
        ejectionLength(a); // 60 s

        clock.advance(BASE); // one base time back in: one ejection forgiven

        assertThat(ejectionLength(a)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void neverEjectsMoreThanTheAllowedShareOfThePool() {
        detector.filter(pool); // 4 instances, 50 %: at most 2 out at once

        fail(a, 5);
        fail(b, 5);
        fail(c, 5);

        assertThat(detector.filter(pool)).containsExactly(c, d);
        assertThat(detector.currentlyEjected()).isEqualTo(2);
    }

    @Test
    void anOutlierKeptInByTheCapIsEjectedOnceThereIsRoom() {
        detector.filter(pool);
        fail(a, 5);
        clock.advance(Duration.ofSeconds(10));
        fail(b, 5);
        fail(c, 5);

        clock.advance(Duration.ofSeconds(20)); // a is back: room for one
        fail(c, 1);

        assertThat(detector.filter(pool)).containsExactly(a, d);
    }

    @Test
    void aPoolOfOneIsNeverEmptied() {
        detector.filter(List.of(a));

        fail(a, 50);

        assertThat(detector.filter(List.of(a))).containsExactly(a);
    }

    @Test
    void aPoolShrunkToOnlyEjectedInstancesIsLetThroughWhole() {
        detector.filter(pool);
        fail(a, 5);
        fail(b, 5);

        assertThat(detector.filter(List.of(a, b))).containsExactly(a, b);
        assertThat(detector.filter(List.of(a, b, c))).containsExactly(c);
    }

    @Test
    void failuresOfCallsThatEndAfterTheEjectionAreNotHeldAgainstIt() {
        detector.filter(pool);
        fail(a, 5);
        fail(a, 4); // calls that were in flight when it was ejected

        clock.advance(BASE);
        fail(a, 1);

        assertThat(detector.isEjected(a)).isFalse();
    }

    @Test
    void countsEjectionsForMetrics() {
        detector.filter(pool);
        fail(a, 5);
        fail(b, 5);
        assertThat(detector.ejectionsTotal()).isEqualTo(2);
        assertThat(detector.currentlyEjected()).isEqualTo(2);

        clock.advance(BASE);

        assertThat(detector.ejectionsTotal()).isEqualTo(2);
        assertThat(detector.currentlyEjected()).isZero();
    }

    /** Ejects {@code instance} and returns how long it stayed out, leaving the clock when it is back. */
    private Duration ejectionLength(ServiceInstance instance) {
        fail(instance, 5);
        Duration out = Duration.ZERO;
        while (detector.isEjected(instance)) {
            clock.advance(Duration.ofSeconds(1));
            out = out.plusSeconds(1);
        }
        return out;
    }

    private void fail(ServiceInstance instance, int times) {
        for (int i = 0; i < times; i++) {
            detector.record(instance, false);
        }
    }
}
