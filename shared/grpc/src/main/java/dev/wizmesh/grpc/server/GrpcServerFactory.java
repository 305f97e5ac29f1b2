package dev.wizmesh.grpc.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wizmesh.grpc.context.ServerContextInterceptor;
import dev.wizmesh.grpc.errors.ServerErrorInterceptor;
import dev.wizmesh.grpc.metrics.GrpcServerMetrics;
import dev.wizmesh.grpc.tracing.ServerTracingInterceptor;
import dev.wizmesh.platform.PlatformBundle;
import dev.wizmesh.platform.health.Probe;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDataSize;
import io.grpc.BindableService;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.opentelemetry.api.OpenTelemetry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The {@code grpc:} block of a service that serves gRPC.
 *
 * <pre>
 * grpc:
 *   bindHost: 0.0.0.0
 *   port: ${PRODUCT_SVC_GRPC_PORT:-9120}   # 0: any free port (the real one is registered)
 *   maxInboundMessageSize: 4MiB
 *   shutdownGracePeriod: 10s       # calls in flight get this long on stop, then are cancelled
 *   handshakeTimeout: 10s          # a connection must finish its HTTP/2 preface in this time
 *   keepAliveTime: 60s             # the server pings an idle connection this often...
 *   keepAliveTimeout: 20s          # ...and closes it when the ping is not answered in this time
 *   permitKeepAliveTime: 20s       # clients may ping this often at most (more: GOAWAY)
 *   maxConnectionIdle: 30m         # close a connection without calls for this long
 *   reflection: true               # grpc.reflection.v1 (grpcurl list/describe)
 *   healthRefresh: 5s              # re-run the readiness checks into grpc.health.v1 this often; 0s: never
 * </pre>
 *
 * {@link #build(Environment, PlatformBundle, BindableService...)} gives the app's
 * {@link GrpcServer}, started and stopped with the app.
 */
public class GrpcServerFactory {
    @NotEmpty
    @JsonProperty
    public String bindHost = "0.0.0.0";

    @Min(0)
    @Max(65535)
    @JsonProperty
    public int port = 0;

    @NotNull
    @MinDataSize(1024)
    @JsonProperty
    public DataSize maxInboundMessageSize = DataSize.mebibytes(4);

    @NotNull
    @JsonProperty
    public Duration shutdownGracePeriod = Duration.seconds(10);

    @NotNull
    @JsonProperty
    public Duration handshakeTimeout = Duration.seconds(10);

    @NotNull
    @JsonProperty
    public Duration keepAliveTime = Duration.seconds(60);

    @NotNull
    @JsonProperty
    public Duration keepAliveTimeout = Duration.seconds(20);

    @NotNull
    @JsonProperty
    public Duration permitKeepAliveTime = Duration.seconds(20);

    @NotNull
    @JsonProperty
    public Duration maxConnectionIdle = Duration.minutes(30);

    @JsonProperty
    public boolean reflection = true;

    @NotNull
    @JsonProperty
    public Duration healthRefresh = Duration.seconds(5);

    /**
     * The app's gRPC server for {@code services}: managed (it starts before Jetty and stops after
     * it), health NOT_SERVING as soon as shutdown begins, traced with the app's OpenTelemetry,
     * metrics on its Prometheus registry, health from its readiness checks. Pass
     * {@code server::port} to {@code DiscoveryFactory.build(environment, platform, server::port)}
     * to register the real port.
     */
    public GrpcServer build(Environment environment, PlatformBundle<?> platform, BindableService... services) {
        GrpcServer server = build(platform.tracing().openTelemetry(), platform.metrics().registry(),
                () -> platform.healthChecks().run(Probe.READINESS).healthy(), services);
        environment.lifecycle().manage(server);
        platform.shutdownState().onStopping(server::beginShutdown);
        return server;
    }

    /** Without Dropwizard (tests, tools): the caller starts and stops the server. */
    public GrpcServer build(OpenTelemetry openTelemetry, PrometheusRegistry metrics, BooleanSupplier readiness,
                            BindableService... services) {
        List<String> names = new ArrayList<>();
        for (BindableService service : services) {
            names.add(service.bindService().getServiceDescriptor().getName());
        }
        GrpcHealth health = new GrpcHealth(names, readiness, healthRefresh.toMilliseconds());
        ServerInterceptor[] interceptors = interceptors(openTelemetry, metrics);

        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(bindHost, port))
                .maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE, maxInboundMessageSize.toBytes()))
                .handshakeTimeout(handshakeTimeout.toNanoseconds(), TimeUnit.NANOSECONDS)
                .keepAliveTime(keepAliveTime.toNanoseconds(), TimeUnit.NANOSECONDS)
                .keepAliveTimeout(keepAliveTimeout.toNanoseconds(), TimeUnit.NANOSECONDS)
                .permitKeepAliveTime(permitKeepAliveTime.toNanoseconds(), TimeUnit.NANOSECONDS)
                .permitKeepAliveWithoutCalls(true)
                .maxConnectionIdle(maxConnectionIdle.toNanoseconds(), TimeUnit.NANOSECONDS);
        for (BindableService service : services) {
            builder.addService(ServerInterceptors.intercept(service, interceptors));
        }
        // health and reflection are left bare: probes should not fill the RPC metrics and traces
        builder.addService(health.service());
        if (reflection) {
            builder.addService(ProtoReflectionServiceV1.newInstance());
        }
        return new GrpcServer(builder.build(), health, shutdownGracePeriod.toNanoseconds());
    }

    /**
     * Our server interceptors. grpc-java calls the last one first, so on the way in a call meets:
     * tracing (the span, current for everything below), metrics, context (RequestContext and MDC
     * for every callback), then errors (closest to the handler, so the span and the metrics see
     * the status our error codes map to).
     */
    static ServerInterceptor[] interceptors(OpenTelemetry openTelemetry, PrometheusRegistry metrics) {
        return new ServerInterceptor[] {
                new ServerErrorInterceptor(),
                new ServerContextInterceptor(),
                new GrpcServerMetrics(metrics),
                new ServerTracingInterceptor(openTelemetry),
        };
    }
}
