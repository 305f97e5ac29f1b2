package dev.wizmesh.discovery.balancer;

import static dev.wizmesh.discovery.balancer.TestInstances.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.wizmesh.discovery.ServiceInstance;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RandomBalancerTest {
    private final Random seeded = new Random(42);
    private final RandomBalancer balancer = new RandomBalancer(() -> seeded);
    private final List<ServiceInstance> instances = List.of(instance("a"), instance("b"), instance("c"));

    @Test
    void spreadsCallsEvenlyOnAverage() {
        int picks = 30_000;
        Map<String, Long> counts = IntStream.range(0, picks)
                .mapToObj(i -> balancer.pick(instances).orElseThrow().instance().id())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));

        assertThat(counts).containsOnlyKeys("a", "b", "c");
        counts.values().forEach(count -> assertThat(count / (double) picks).isCloseTo(1 / 3.0, within(0.02)));
    }

    @Test
    void choosesNothingFromNoCandidates() {
        assertThat(balancer.pick(List.of())).isEmpty();
    }
}
