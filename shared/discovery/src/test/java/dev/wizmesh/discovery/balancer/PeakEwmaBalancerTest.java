package dev.wizmesh.discovery.balancer;

import static dev.wizmesh.discovery.balancer.TestInstances.instance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wizmesh.discovery.ServiceInstance;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Simulated traffic: one call per simulated millisecond, each completing at once with the
 * latency its instance is given, so the in-flight count is zero and latency alone decides.
 */
class PeakEwmaBalancerTest {
    private static final Duration FAST = Duration.ofMillis(10);
    private static final Duration SLOW = Duration.ofMillis(200);

    private final FakeNanoClock clock = new FakeNanoClock();
    private final Random seeded = new Random(11);
    private final PeakEwmaBalancer balancer = new PeakEwmaBalancer(Duration.ofSeconds(10), () -> seeded, clock);

    private final ServiceInstance a = instance("a");
    private final ServiceInstance b = instance("b");
    private final ServiceInstance slow = instance("slow");
    private final List<ServiceInstance> instances = List.of(a, b, slow);
    private final Map<ServiceInstance, Duration> latencies = new HashMap<>(Map.of(a, FAST, b, FAST, slow, SLOW));

    @Test
    void sendsLittleTrafficToASlowInstance() {
        Map<String, Integer> calls = run(60_000);

        assertThat(share(calls, "slow")).isLessThan(0.01);
        assertThat(share(calls, "a")).isGreaterThan(0.45);
        assertThat(share(calls, "b")).isGreaterThan(0.45);
    }

    @Test
    void aSlowInstanceThatRecoversGetsItsTrafficBackAfterDecay() {
        run(60_000);
        latencies.put(slow, FAST);

        // it is probed again once its estimate has decayed below the others' (about 3 decay
        // windows: 200 ms × e^-3 ≈ 10 ms), answers fast, and from then on takes its share
        run(40_000);
        Map<String, Integer> afterRecovery = run(30_000);

        assertThat(share(afterRecovery, "slow")).isGreaterThan(0.25);
    }

    @Test
    void aNewInstanceIsTriedAtOnceButNotFloodedBeforeItAnswers() {
        run(1_000);
        ServiceInstance fresh = instance("fresh");
        List<ServiceInstance> withFresh = List.of(a, b, slow, fresh);

        Pick firstCall = null;
        for (int i = 0; i < 100 && firstCall == null; i++) {
            Pick pick = balancer.pick(withFresh).orElseThrow();
            if (pick.instance().equals(fresh)) {
                firstCall = pick; // held: its first answer has not come back yet
            } else {
                pick.complete(latencies.get(pick.instance()), true);
            }
        }
        assertThat(firstCall).as("a never-measured instance costs nothing while idle").isNotNull();

        Set<String> chosenMeanwhile = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            Pick pick = balancer.pick(withFresh).orElseThrow();
            chosenMeanwhile.add(pick.instance().id());
            pick.complete(latencies.get(pick.instance()), true);
        }
        assertThat(chosenMeanwhile).doesNotContain("fresh");
        assertThat(balancer.outstanding(fresh)).isEqualTo(1);

        firstCall.complete(Duration.ofMillis(1), true);
        assertThat(balancer.outstanding(fresh)).isZero();
    }

    @Test
    void prefersAnIdleInstanceToABusyOneOfTheSameSpeed() {
        List<ServiceInstance> twins = List.of(a, b);
        latencies.put(b, FAST);
        run(twins, 1_000);

        Pick held = balancer.pick(twins).orElseThrow();
        ServiceInstance other = held.instance().equals(a) ? b : a;

        for (int i = 0; i < 100; i++) {
            Pick pick = balancer.pick(twins).orElseThrow();
            assertThat(pick.instance()).isEqualTo(other);
            pick.complete(FAST, true);
        }
    }

    @Test
    void choosesNothingFromNoCandidates() {
        assertThat(balancer.pick(List.of())).isEmpty();
    }

    private Map<String, Integer> run(int calls) {
        return run(instances, calls);
    }

    private Map<String, Integer> run(List<ServiceInstance> candidates, int calls) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < calls; i++) {
            clock.advance(Duration.ofMillis(1));
            Pick pick = balancer.pick(candidates).orElseThrow();
            counts.merge(pick.instance().id(), 1, Integer::sum);
            pick.complete(latencies.get(pick.instance()), true);
        }
        return counts;
    }

    private static double share(Map<String, Integer> counts, String id) {
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        return counts.getOrDefault(id, 0) / (double) total;
    }
}
