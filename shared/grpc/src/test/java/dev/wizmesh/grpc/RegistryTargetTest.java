package dev.wizmesh.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wizmesh.grpc.resolver.RegistryNameResolverProvider;
import io.grpc.NameResolver;
import io.grpc.NameResolverRegistry;
import io.grpc.SynchronizationContext;
import java.net.URI;
import org.junit.jupiter.api.Test;

class RegistryTargetTest {
    private static final NameResolver.Args ARGS = NameResolver.Args.newBuilder()
            .setDefaultPort(443)
            .setProxyDetector(address -> null)
            .setSynchronizationContext(new SynchronizationContext((t, e) -> { }))
            .setServiceConfigParser(new NameResolver.ServiceConfigParser() {
                @Override
                public NameResolver.ConfigOrError parseServiceConfig(java.util.Map<String, ?> rawServiceConfig) {
                    return null;
                }
            })
            .build();

    @Test
    void theRegistrySchemeIsKnownToGrpcThroughTheServiceLoader() {
        assertThat(NameResolverRegistry.getDefaultRegistry().getProviderForScheme("registry"))
                .isInstanceOf(RegistryNameResolverProvider.class);
    }

    @Test
    void aTargetNamesOneServiceWhichIsTheAuthority() {
        NameResolver resolver = new RegistryNameResolverProvider().newNameResolver(URI.create("registry:///product-svc"), ARGS);
        assertThat(resolver.getServiceAuthority()).isEqualTo("product-svc");
        assertThat(new RegistryNameResolverProvider().newNameResolver(URI.create("dns:///product-svc"), ARGS)).isNull();
        assertThatThrownBy(() -> new RegistryNameResolverProvider().newNameResolver(URI.create("registry:///a/b"), ARGS))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
