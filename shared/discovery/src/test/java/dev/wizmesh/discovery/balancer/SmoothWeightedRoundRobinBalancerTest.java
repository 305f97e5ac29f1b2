package dev.wizmesh.discovery.balancer;

import static dev.wizmesh.discovery.balancer.TestInstances.weighted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.wizmesh.discovery.ServiceInstance;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SmoothWeightedRoundRobinBalancerTest {
    private final SmoothWeightedRoundRobinBalancer balancer = new SmoothWeightedRoundRobinBalancer();

    @Test
    void spreadsAHeavyInstanceOutAsNginxDoes() {
        List<ServiceInstance> instances = List.of(weighted("a", 5), weighted("b", 1), weighted("c", 1));

        List<String> twoCycles = picks(instances, 14);

        assertThat(twoCycles).containsExactly(
                "a", "a", "b", "a", "c", "a", "a",
                "a", "a", "b", "a", "c", "a", "a");
    }

    @Test
    void givesEachInstanceItsWeightsShare() {
        List<ServiceInstance> instances = List.of(weighted("a", 1), weighted("b", 2), weighted("c", 7));
        int picks = 10_000;

        Map<String, Long> counts = picks(instances, picks).stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));

        assertThat(counts.get("a") / (double) picks).isCloseTo(0.1, within(0.02));
        assertThat(counts.get("b") / (double) picks).isCloseTo(0.2, within(0.02));
        assertThat(counts.get("c") / (double) picks).isCloseTo(0.7, within(0.02));
    }

    @Test
    void aNewcomerGetsItsShareFromItsFirstCycle() {
        picks(List.of(weighted("a", 1), weighted("b", 1)), 5);

        List<String> afterJoining = picks(List.of(weighted("a", 1), weighted("b", 1), weighted("c", 2)), 4);

        assertThat(afterJoining).filteredOn("c"::equals).hasSize(2);
    }

    @Test
    void forgetsInstancesThatAreNoLongerCandidates() {
        picks(List.of(weighted("a", 1), weighted("gone", 1)), 1);

        picks(List.of(weighted("a", 1)), 2 * SmoothWeightedRoundRobinBalancer.FORGET_AFTER_PICKS);

        assertThat(balancer.remembered()).isEqualTo(1);
    }

    @Test
    void choosesNothingFromNoCandidates() {
        assertThat(balancer.pick(List.of())).isEmpty();
    }

    private List<String> picks(List<ServiceInstance> instances, int count) {
        return IntStream.range(0, count).mapToObj(i -> balancer.pick(instances).orElseThrow().instance().id()).toList();
    }
}
