package dev.wizmesh.discovery.balancer;

import static dev.wizmesh.discovery.balancer.TestInstances.instance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wizmesh.discovery.InstanceStatus;
import dev.wizmesh.discovery.ServiceInstance;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InstanceChooserTest {
    private final FakeNanoClock clock = new FakeNanoClock();
    private final Random seeded = new Random(5);
    private final OutlierDetector outliers = new OutlierDetector(5, Duration.ofSeconds(30), Duration.ofMinutes(5), 50, clock);
    private final LeastOutstandingBalancer balancer = new LeastOutstandingBalancer(() -> seeded, clock);
    private final InstanceChooser chooser = new InstanceChooser(InstanceFilters.up(), outliers, balancer);

    private final ServiceInstance a = instance("a");
    private final ServiceInstance b = instance("b");
    private final ServiceInstance c = instance("c");
    private final List<ServiceInstance> catalog = List.of(a, b, c);

    @Test
    void failingCallsEjectAnInstanceUntilItsTimeIsUp() {
        failCallsTo(b, 5);

        assertThat(chosenIds(catalog)).containsExactlyInAnyOrder("a", "c");

        clock.advance(Duration.ofSeconds(30));
        assertThat(chosenIds(catalog)).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void completingAPickReleasesTheBalancersCountAndFeedsTheDetector() {
        Pick pick = chooser.choose(List.of(a)).orElseThrow();
        assertThat(balancer.outstanding(a)).isEqualTo(1);

        pick.complete(Duration.ofMillis(3), true);

        assertThat(balancer.outstanding(a)).isZero();
        assertThat(outliers.isEjected(a)).isFalse();
    }

    @Test
    void choosesNothingWhenNothingIsEligible() {
        ServiceInstance down = instance("down", 1, "1.0.0", "zone-a", Map.of(), InstanceStatus.DOWN);

        assertThat(chooser.choose(List.of())).isEmpty();
        assertThat(chooser.choose(List.of(down))).isEmpty();
    }

    private void failCallsTo(ServiceInstance target, int failures) {
        int failed = 0;
        while (failed < failures) {
            Pick pick = chooser.choose(catalog).orElseThrow();
            boolean isTarget = pick.instance().equals(target);
            pick.complete(Duration.ofMillis(2), !isTarget);
            if (isTarget) {
                failed++;
            }
        }
    }

    private Set<String> chosenIds(List<ServiceInstance> instances) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            try (Pick pick = chooser.choose(instances).orElseThrow()) {
                ids.add(pick.instance().id());
                pick.complete(Duration.ofMillis(2), true);
            }
        }
        return ids;
    }
}
