package dev.wizmesh.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.wizmesh.grpc.server.GrpcServer;
import dev.wizmesh.grpc.server.GrpcServerFactory;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.api.OpenTelemetry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The server's standard services (health, reflection) and its stop, over a real socket. */
class GrpcServerLifecycleIT {
    private static final Duration NO_HANG = Duration.ofSeconds(30);

    private static ServingStatus health(ManagedChannel channel, String service) {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }

    @Test
    void healthIsServingThenNotServingOnceShutdownBeginsAndCallsEndOnStop() throws Exception {
        GrpcServerFactory config = new GrpcServerFactory();
        config.bindHost = "127.0.0.1";
        config.shutdownGracePeriod = io.dropwizard.util.Duration.seconds(2);
        GrpcServer server = config.build(OpenTelemetry.noop(), new PrometheusRegistry(), () -> true, new EchoService("a"));
        server.start();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            assertThat(health(channel, "")).isEqualTo(ServingStatus.SERVING);
            assertThat(health(channel, "wizmesh.test.v1.EchoService")).isEqualTo(ServingStatus.SERVING);

            server.beginShutdown();
            assertThat(health(channel, "")).isEqualTo(ServingStatus.NOT_SERVING);
            assertThat(health(channel, "wizmesh.test.v1.EchoService")).isEqualTo(ServingStatus.NOT_SERVING);

            assertTimeoutPreemptively(NO_HANG, server::stop);
            assertThatThrownBy(() -> health(channel, "")).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        } finally {
            channel.shutdownNow();
            server.close();
        }
    }

    @Test
    void healthFollowsTheAppsReadiness() throws Exception {
        AtomicBoolean ready = new AtomicBoolean(true);
        GrpcServerFactory config = new GrpcServerFactory();
        config.bindHost = "127.0.0.1";
        config.healthRefresh = io.dropwizard.util.Duration.milliseconds(50);
        GrpcServer server = config.build(OpenTelemetry.noop(), new PrometheusRegistry(), ready::get, new EchoService("a"));
        server.start();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            assertThat(health(channel, "")).isEqualTo(ServingStatus.SERVING);
            ready.set(false);
            assertTimeoutPreemptively(NO_HANG, () -> {
                while (health(channel, "") != ServingStatus.NOT_SERVING) {
                    Thread.sleep(20);
                }
            });
            ready.set(true);
            assertTimeoutPreemptively(NO_HANG, () -> {
                while (health(channel, "") != ServingStatus.SERVING) {
                    Thread.sleep(20);
                }
            });
        } finally {
            channel.shutdownNow();
            server.close();
        }
    }

    @Test
    void reflectionListsTheServices() throws Exception {
        GrpcServerFactory config = new GrpcServerFactory();
        config.bindHost = "127.0.0.1";
        GrpcServer server = config.build(OpenTelemetry.noop(), new PrometheusRegistry(), () -> true, new EchoService("a"));
        server.start();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
            StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
                    .serverReflectionInfo(new StreamObserver<>() {
                        @Override
                        public void onNext(ServerReflectionResponse value) {
                            answer.complete(value);
                        }

                        @Override
                        public void onError(Throwable t) {
                            answer.completeExceptionally(t);
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
            requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
            List<String> services = answer.get(20, TimeUnit.SECONDS).getListServicesResponse().getServiceList()
                    .stream().map(ServiceResponse::getName).toList();
            requests.onCompleted();
            assertThat(services).contains("wizmesh.test.v1.EchoService", "grpc.health.v1.Health");
        } finally {
            channel.shutdownNow();
            server.close();
        }
    }
}
