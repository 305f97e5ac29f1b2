package dev.wizmesh.discovery.balancer;

import static dev.wizmesh.discovery.balancer.TestInstances.instance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wizmesh.discovery.ServiceInstance;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The catalog changes between calls: every balancer must follow it at once. */
class ChangingCandidatesTest {
    private static final ServiceInstance A = instance("a");
    private static final ServiceInstance B = instance("b");
    private static final ServiceInstance C = instance("c");
    private static final ServiceInstance D = instance("d");

    static Stream<Named<Supplier<LoadBalancer>>> balancers() {
        FakeNanoClock clock = new FakeNanoClock();
        return Stream.of(
                Named.of("round robin", RoundRobinBalancer::new),
                Named.of("random", () -> new RandomBalancer(seeded())),
                Named.of("smooth weighted round robin", SmoothWeightedRoundRobinBalancer::new),
                Named.of("least outstanding", () -> new LeastOutstandingBalancer(seeded(), clock)),
                Named.of("peak EWMA", () -> new PeakEwmaBalancer(Duration.ofSeconds(10), seeded(), clock)));
    }

    @ParameterizedTest
    @MethodSource("balancers")
    void aRemovedInstanceIsNeverChosenAndAnAddedOneIs(Supplier<LoadBalancer> newBalancer) {
        LoadBalancer balancer = newBalancer.get();
        assertThat(chosen(balancer, List.of(A, B, C))).containsExactlyInAnyOrder("a", "b", "c");

        assertThat(chosen(balancer, List.of(A, C))).containsExactlyInAnyOrder("a", "c");

        assertThat(chosen(balancer, List.of(A, C, D))).contains("d").doesNotContain("b");
    }

    private static Set<String> chosen(LoadBalancer balancer, List<ServiceInstance> candidates) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Pick pick = balancer.pick(candidates).orElseThrow();
            ids.add(pick.instance().id());
            pick.complete(Duration.ofMillis(5), true);
        }
        return ids;
    }

    private static Supplier<RandomGenerator> seeded() {
        Random random = new Random(3);
        return () -> random;
    }
}
