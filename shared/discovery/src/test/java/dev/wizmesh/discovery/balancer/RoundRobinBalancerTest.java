package dev.wizmesh.discovery.balancer;

import static dev.wizmesh.discovery.balancer.TestInstances.instance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wizmesh.discovery.ServiceInstance;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RoundRobinBalancerTest {
    private final RoundRobinBalancer balancer = new RoundRobinBalancer();
    private final List<ServiceInstance> instances = List.of(instance("a"), instance("b"), instance("c"));

    @Test
    void cyclesThroughTheCandidatesInOrder() {
        List<String> ids = IntStream.range(0, 6).mapToObj(i -> pickId()).toList();

        assertThat(ids).containsExactly("a", "b", "c", "a", "b", "c");
    }

    @Test
    void givesEveryCandidateTheSameNumberOfCalls() {
        Map<String, Long> counts = IntStream.range(0, 300).mapToObj(i -> pickId())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));

        assertThat(counts).containsOnly(Map.entry("a", 100L), Map.entry("b", 100L), Map.entry("c", 100L));
    }

    @Test
    void choosesNothingFromNoCandidates() {
        assertThat(balancer.pick(List.of())).isEmpty();
    }

    private String pickId() {
        return balancer.pick(instances).orElseThrow().instance().id();
    }
}
