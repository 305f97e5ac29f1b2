package dev.wizmesh.discovery.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wizmesh.discovery.InstanceStatus;
import dev.wizmesh.discovery.ServiceInstance;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstanceFiltersTest {
    private final ServiceInstance stableA = instance("stable-a", "1.0.0", "zone-a", Map.of("tier", "gold"), InstanceStatus.UP);
    private final ServiceInstance stableB = instance("stable-b", "1.0.0", "zone-b", Map.of("tier", "silver"), InstanceStatus.UP);
    private final ServiceInstance canary = instance("canary", "1.1.0", "zone-b", Map.of("tier", "gold", "canary", "true"), InstanceStatus.UP);
    private final ServiceInstance starting = instance("starting", "1.0.0", "zone-a", Map.of(), InstanceStatus.STARTING);
    private final ServiceInstance draining = instance("draining", "1.0.0", "zone-a", Map.of(), InstanceStatus.OUT_OF_SERVICE);
    private final List<ServiceInstance> all = List.of(stableA, stableB, canary, starting, draining);

    @Test
    void upKeepsOnlyInstancesThatAreUp() {
        assertThat(InstanceFilters.up().filter(all)).containsExactly(stableA, stableB, canary);
    }

    @Test
    void versionKeepsOnlyThatExactVersion() {
        assertThat(InstanceFilters.version("1.1.0").filter(all)).containsExactly(canary);
        assertThat(InstanceFilters.version("1.1").filter(all)).isEmpty();
    }

    @Test
    void metadataKeepsInstancesCarryingEveryGivenLabel() {
        assertThat(InstanceFilters.metadata(Map.of("tier", "gold")).filter(all)).containsExactly(stableA, canary);
        assertThat(InstanceFilters.metadata(Map.of("tier", "gold", "canary", "true")).filter(all)).containsExactly(canary);
        assertThat(InstanceFilters.metadata(Map.of("tier", "bronze")).filter(all)).isEmpty();
        assertThat(InstanceFilters.metadata(Map.of()).filter(all)).isEqualTo(all);
    }

    @Test
    void preferZoneKeepsTheSameZoneWhenItHasInstances() {
        assertThat(InstanceFilters.preferZone("zone-b").filter(all)).containsExactly(stableB, canary);
    }

    @Test
    void preferZoneFallsBackToEveryZoneWhenItsOwnHasNone() {
        assertThat(InstanceFilters.preferZone("zone-c").filter(all)).isEqualTo(all);
    }

    @Test
    void filtersChainInOrderSoTheZoneFallbackSeesOnlyWhatPassed() {
        InstanceFilter stableInZoneA = InstanceFilters.up()
                .andThen(InstanceFilters.version("1.0.0"))
                .andThen(InstanceFilters.preferZone("zone-a"));
        InstanceFilter canaryInZoneA = InstanceFilters.up()
                .andThen(InstanceFilters.version("1.1.0"))
                .andThen(InstanceFilters.preferZone("zone-a"));

        assertThat(stableInZoneA.filter(all)).containsExactly(stableA);
        assertThat(canaryInZoneA.filter(all)).containsExactly(canary); // no canary in zone-a: any zone
    }

    private static ServiceInstance instance(String id, String version, String zone, Map<String, String> metadata,
                                            InstanceStatus status) {
        return TestInstances.instance(id, 1, version, zone, metadata, status);
    }
}
