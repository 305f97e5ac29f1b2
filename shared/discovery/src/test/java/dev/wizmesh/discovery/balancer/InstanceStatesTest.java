package dev.wizmesh.discovery.balancer;

import static dev.wizmesh.discovery.balancer.TestInstances.instance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wizmesh.discovery.ServiceInstance;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InstanceStatesTest {
    private final FakeNanoClock clock = new FakeNanoClock();
    private final InstanceStates<AtomicInteger> states =
            new InstanceStates<>(AtomicInteger::new, count -> count.get() > 0, clock);

    private final ServiceInstance gone = instance("gone");
    private final ServiceInstance busy = instance("busy");
    private final ServiceInstance current = instance("current");

    @Test
    void forgetsInstancesUnusedForAWhileUnlessTheirStateStillMatters() {
        states.of(gone);
        states.of(busy).incrementAndGet();

        clock.advance(InstanceStates.FORGET_AFTER);
        states.of(current); // the first use after the interval sweeps

        assertThat(states.find(gone)).isNull();
        assertThat(states.find(busy)).hasValue(1);
        assertThat(states.size()).isEqualTo(2);
    }

    @Test
    void keepsInstancesUsedWithinTheInterval() {
        states.of(current);
        clock.advance(InstanceStates.FORGET_AFTER.minus(Duration.ofSeconds(1)));
        states.of(current);

        clock.advance(Duration.ofSeconds(1));
        states.of(instance("other"));

        assertThat(states.find(current)).isNotNull();
    }

    @Test
    void findingAnInstanceNeitherCreatesNorUsesIt() {
        assertThat(states.find(current)).isNull();
        assertThat(states.size()).isZero();
    }
}
