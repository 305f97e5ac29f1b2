package dev.wizmesh.grpc.resolver;

import dev.wizmesh.discovery.catalog.InstanceSource;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Collection;
import java.util.List;

/**
 * Teaches gRPC the {@code registry:///<service>} target: a channel for
 * {@code registry:///product-svc} asks this provider for a {@link RegistryNameResolver}.
 *
 * <p>Registered with grpc-java through {@code META-INF/services/io.grpc.NameResolverProvider}, the
 * standard way (DNS, xDS and the in-process resolvers are found the same way). The provider is
 * global but the instance lists are not: each channel passes its app's {@link InstanceSource} as
 * the name-resolver argument {@link #INSTANCE_SOURCE} ({@code GrpcChannels} does), so several apps
 * in one JVM (tests) each resolve through their own catalog.
 */
public class RegistryNameResolverProvider extends NameResolverProvider {
    public static final String SCHEME = "registry";
    /** The discovery source a channel resolves through; set with {@code setNameResolverArg}. */
    public static final NameResolver.Args.Key<InstanceSource> INSTANCE_SOURCE =
            NameResolver.Args.Key.create("wizmesh.instanceSource");

    @Override
    public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
        if (!SCHEME.equals(targetUri.getScheme())) {
            return null;
        }
        String path = targetUri.getPath();
        if (path == null || path.length() < 2 || path.indexOf('/', 1) >= 0) {
            throw new IllegalArgumentException("a registry target names one service: registry:///<service>, got " + targetUri);
        }
        return new RegistryNameResolver(path.substring(1), args.getArg(INSTANCE_SOURCE), args.getSynchronizationContext());
    }

    @Override
    public String getDefaultScheme() {
        return SCHEME;
    }

    @Override
    protected boolean isAvailable() {
        return true;
    }

    @Override
    protected int priority() {
        return 5;
    }

    @Override
    public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
        return List.of(InetSocketAddress.class);
    }
}
