package dev.wizmesh.grpc.client;

import dev.wizmesh.discovery.catalog.InstanceSource;
import dev.wizmesh.grpc.context.ClientContextInterceptor;
import dev.wizmesh.grpc.deadline.DefaultDeadlineInterceptor;
import dev.wizmesh.grpc.resolver.RegistryNameResolverProvider;
import dev.wizmesh.grpc.tracing.ClientTracingInterceptor;
import io.dropwizard.lifecycle.Managed;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.opentelemetry.api.OpenTelemetry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One channel per service called, each dialing {@code registry:///<service>}: addresses from the
 * app's discovery catalog ({@link dev.wizmesh.grpc.resolver.RegistryNameResolver}), spread by the
 * gRPC load-balancing policy (round_robin: one connection per instance, calls in turn), and the
 * client interceptors on every call. Channels are made on first use, shared by every stub (a
 * channel is cheap to call, dear to build), and closed when the app stops.
 *
 * <pre>
 * CatalogServiceGrpc.CatalogServiceBlockingStub catalog =
 *         CatalogServiceGrpc.newBlockingStub(channels.channel("product-svc"));
 * GetProductsResponse products = GrpcErrors.call("product-svc", () -&gt; catalog.getProducts(request));
 * </pre>
 */
public class GrpcChannels implements Managed, AutoCloseable {
    private final GrpcClientFactory config;
    private final InstanceSource instances;
    /** Innermost first: grpc-java calls the last one first. */
    private final List<ClientInterceptor> interceptors;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private volatile boolean closed;

    GrpcChannels(GrpcClientFactory config, OpenTelemetry openTelemetry, InstanceSource instances) {
        this.config = config;
        this.instances = instances;
        this.interceptors = List.of(
                new ClientContextInterceptor(),                      // 3. caller metadata
                new ClientTracingInterceptor(openTelemetry),         // 2. CLIENT span + traceparent
                new DefaultDeadlineInterceptor(config.defaultDeadline.toJavaDuration())); // 1. a deadline, always
    }

    /** The channel to {@code service} (its registry name, e.g. {@code product-svc}). */
    public ManagedChannel channel(String service) {
        if (closed) {
            throw new IllegalStateException("the gRPC channels are closed");
        }
        return channels.computeIfAbsent(service, this::open);
    }

    private ManagedChannel open(String service) {
        return NettyChannelBuilder.forTarget(RegistryNameResolverProvider.SCHEME + ":///" + service)
                .setNameResolverArg(RegistryNameResolverProvider.INSTANCE_SOURCE, instances)
                .defaultLoadBalancingPolicy(config.loadBalancingPolicy)
                .usePlaintext()
                .keepAliveTime(config.keepAliveTime.toNanoseconds(), TimeUnit.NANOSECONDS)
                .keepAliveTimeout(config.keepAliveTimeout.toNanoseconds(), TimeUnit.NANOSECONDS)
                .idleTimeout(config.idleTimeout.toNanoseconds(), TimeUnit.NANOSECONDS)
                .maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE, config.maxInboundMessageSize.toBytes()))
                .intercept(interceptors)
                .build();
    }

    @Override
    public void start() {
    }

    /** Stops new calls, waits up to {@code shutdownTimeout} for those in flight, then cuts the rest. */
    @Override
    public void stop() throws InterruptedException {
        closed = true;
        channels.values().forEach(ManagedChannel::shutdown);
        long deadline = System.nanoTime() + config.shutdownTimeout.toNanoseconds();
        for (ManagedChannel channel : channels.values()) {
            if (!channel.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                channel.shutdownNow();
            }
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channels.values().forEach(ManagedChannel::shutdownNow);
        }
    }
}
