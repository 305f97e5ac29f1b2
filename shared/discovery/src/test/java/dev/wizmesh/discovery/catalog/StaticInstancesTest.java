package dev.wizmesh.discovery.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wizmesh.discovery.ServiceInstance;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StaticInstancesTest {
    @Test
    void anEntryMayNameItsGrpcPort() {
        StaticInstances instances = new StaticInstances(Map.of("product-svc",
                List.of("127.0.0.1:8120?grpc=9120", "10.0.0.2:8122")));

        List<ServiceInstance> found = instances.instances("product-svc");
        assertThat(found).extracting(ServiceInstance::host, ServiceInstance::port, ServiceInstance::grpcPort)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("127.0.0.1", 8120, 9120),
                        org.assertj.core.groups.Tuple.tuple("10.0.0.2", 8122, null));
        assertThat(instances.instances("nobody")).isEmpty();
    }

    @Test
    void anEntryMayNameItsVersion() {
        StaticInstances instances = new StaticInstances(Map.of("product-svc",
                List.of("127.0.0.1:8120?grpc=9120&version=1.4.0", "127.0.0.1:8122?version=1.5.0", "127.0.0.1:8124")));
        assertThat(instances.instances("product-svc")).extracting(ServiceInstance::port, ServiceInstance::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(8120, "1.4.0"),
                        org.assertj.core.groups.Tuple.tuple(8122, "1.5.0"), org.assertj.core.groups.Tuple.tuple(8124, null));
        assertThat(instances.instances("product-svc").get(0).grpcPort()).isEqualTo(9120);
    }

    @Test
    void refusesAnythingElseAfterTheAddress() {
        assertThatThrownBy(() -> new StaticInstances(Map.of("x", List.of("127.0.0.1:8120?zone=a"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("?grpc=");
        assertThatThrownBy(() -> new StaticInstances(Map.of("x", List.of("127.0.0.1:8120?version="))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
