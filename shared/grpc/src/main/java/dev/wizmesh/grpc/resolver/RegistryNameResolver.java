package dev.wizmesh.grpc.resolver;

import dev.wizmesh.discovery.ServiceInstance;
import dev.wizmesh.discovery.catalog.CatalogEvent;
import dev.wizmesh.discovery.catalog.InstanceSource;
import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.StatusOr;
import io.grpc.SynchronizationContext;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Resolves {@code registry:///<service>} to the addresses of the service's UP instances that
 * serve gRPC ({@code host} + {@code grpcPort}; instances without a gRPC port are skipped), from
 * the app's discovery {@link InstanceSource}.
 *
 * <p>It does not poll: it listens to the source, and each change of the service's instances is
 * pushed to the channel at once, whose load-balancing policy (round_robin) then connects to new
 * instances and drops removed ones. With no instance it reports {@code UNAVAILABLE}: calls
 * without {@code waitForReady} fail at once with that status (never hang), and the channel asks
 * again ({@link #refresh()}) with exponential backoff, besides hearing of the next change.
 */
public class RegistryNameResolver extends NameResolver {
    /** The id of the registry instance an address belongs to, on its address group. */
    public static final Attributes.Key<String> INSTANCE_ID = Attributes.Key.create("wizmesh.instanceId");

    private final String service;
    private final InstanceSource source;
    private final SynchronizationContext syncContext;
    private final Consumer<CatalogEvent> onChange = this::onCatalogEvent;
    private Listener2 listener;
    private boolean shutdown;

    RegistryNameResolver(String service, InstanceSource source, SynchronizationContext syncContext) {
        this.service = service;
        this.source = source;
        this.syncContext = syncContext;
    }

    @Override
    public String getServiceAuthority() {
        return service;
    }

    @Override
    public void start(Listener2 listener) {
        this.listener = listener;
        if (source == null) {
            listener.onError(Status.FAILED_PRECONDITION.withDescription(
                    "registry:/// needs the app's InstanceSource: build the channel with GrpcChannels"));
            return;
        }
        source.addListener(onChange);
        resolve();
    }

    @Override
    public void refresh() {
        if (listener != null && source != null) {
            resolve();
        }
    }

    @Override
    public void shutdown() {
        shutdown = true;
        if (source != null) {
            source.removeListener(onChange);
        }
    }

    /** On the catalog's thread: hand over to the channel's own (serialised) context. */
    private void onCatalogEvent(CatalogEvent event) {
        if (service.equals(event.service())) {
            syncContext.execute(this::resolve);
        }
    }

    /** Always in the channel's synchronisation context. */
    private void resolve() {
        if (shutdown) {
            return;
        }
        List<EquivalentAddressGroup> groups = addresses(source.instances(service));
        if (groups.isEmpty()) {
            listener.onResult2(ResolutionResult.newBuilder().setAddressesOrError(StatusOr.fromStatus(
                    Status.UNAVAILABLE.withDescription("no instance of " + service + " with a gRPC port is registered")))
                    .build());
        } else {
            listener.onResult2(ResolutionResult.newBuilder().setAddressesOrError(StatusOr.fromValue(groups)).build());
        }
    }

    static List<EquivalentAddressGroup> addresses(List<ServiceInstance> instances) {
        List<EquivalentAddressGroup> groups = new ArrayList<>();
        for (ServiceInstance instance : instances) {
            if (instance.grpcPort() == null || !instance.isUp()) {
                continue;
            }
            groups.add(new EquivalentAddressGroup(new InetSocketAddress(instance.host(), instance.grpcPort()),
                    Attributes.newBuilder().set(INSTANCE_ID, instance.id()).build()));
        }
        return groups;
    }
}
