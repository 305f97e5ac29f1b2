package dev.wizmesh.discovery.balancer;

import static dev.wizmesh.discovery.balancer.TestInstances.instance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wizmesh.discovery.ServiceInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeastOutstandingBalancerTest {
    private final Random seeded = new Random(7);
    private final LeastOutstandingBalancer balancer = new LeastOutstandingBalancer(() -> seeded, new FakeNanoClock());
    private final List<ServiceInstance> instances = List.of(instance("a"), instance("b"), instance("c"));

    @Test
    void sendsNothingToAnInstanceWithACallInFlightWhileOthersAreIdle() {
        Pick held = balancer.pick(instances).orElseThrow();
        ServiceInstance busy = held.instance();

        Set<String> chosenWhileBusy = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            Pick pick = balancer.pick(instances).orElseThrow();
            chosenWhileBusy.add(pick.instance().id());
            pick.complete(Duration.ofMillis(1), true);
        }

        assertThat(chosenWhileBusy).doesNotContain(busy.id()).hasSize(2);
        assertThat(balancer.outstanding(busy)).isEqualTo(1);
    }

    @Test
    void anInstanceThatIsNoLongerBusyIsChosenAgain() {
        Pick held = balancer.pick(instances).orElseThrow();
        held.complete(Duration.ofMillis(1), true);

        Set<String> chosen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Pick pick = balancer.pick(instances).orElseThrow();
            chosen.add(pick.instance().id());
            pick.complete(Duration.ofMillis(1), true);
        }

        assertThat(balancer.outstanding(held.instance())).isZero();
        assertThat(chosen).contains(held.instance().id());
    }

    @Test
    void keepsInFlightCallsLevelWhenNoCallCompletes() {
        List<Pick> open = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            open.add(balancer.pick(instances).orElseThrow());
        }

        // each new call went to the least busy of two; with three instances that keeps them within one
        instances.forEach(instance -> assertThat(balancer.outstanding(instance)).isBetween(9, 11));

        open.forEach(pick -> pick.complete(Duration.ofMillis(1), true));
        instances.forEach(instance -> assertThat(balancer.outstanding(instance)).isZero());
    }

    @Test
    void choosesNothingFromNoCandidates() {
        assertThat(balancer.pick(List.of())).isEmpty();
    }
}
