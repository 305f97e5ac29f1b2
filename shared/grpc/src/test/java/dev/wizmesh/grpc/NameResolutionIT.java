package dev.wizmesh.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.wizmesh.discovery.catalog.StaticInstances;
import dev.wizmesh.grpc.client.GrpcChannels;
import dev.wizmesh.grpc.client.GrpcClientFactory;
import dev.wizmesh.grpc.errors.GrpcErrors;
import dev.wizmesh.grpc.server.GrpcServer;
import dev.wizmesh.grpc.server.GrpcServerFactory;
import dev.wizmesh.grpc.test.v1.EchoRequest;
import dev.wizmesh.grpc.test.v1.EchoServiceGrpc;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import io.opentelemetry.api.OpenTelemetry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code registry:///} resolution following a changing instance source, round robin across
 * instances, and failures that come back fast. The instance source here is changed by hand; the
 * system tests run the same resolver against the real registry's catalog.
 */
class NameResolutionIT {
    /** "Does not hang": generous, and never a measure of speed. */
    private static final Duration NO_HANG = Duration.ofSeconds(30);
    private static GrpcServer a;
    private static GrpcServer b;

    @BeforeAll
    static void start() throws Exception {
        a = server("a");
        b = server("b");
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
    }

    private static GrpcServer server(String instance) throws Exception {
        GrpcServerFactory config = new GrpcServerFactory();
        config.bindHost = "127.0.0.1";
        GrpcServer server = config.build(OpenTelemetry.noop(), new PrometheusRegistry(), () -> true, new EchoService(instance));
        server.start();
        return server;
    }

    private static String instanceAnswering(EchoServiceGrpc.EchoServiceBlockingStub stub) {
        return stub.echo(EchoRequest.getDefaultInstance()).getInstance();
    }

    private static Set<String> answering(EchoServiceGrpc.EchoServiceBlockingStub stub, int calls) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < calls; i++) {
            seen.add(instanceAnswering(stub));
        }
        return seen;
    }

    /** Calls until the set of instances answering is {@code expected}: the catalog change reached the channel. */
    private static void awaitAnswering(EchoServiceGrpc.EchoServiceBlockingStub stub, Set<String> expected) {
        assertTimeoutPreemptively(NO_HANG, () -> {
            while (!answering(stub, 6).equals(expected)) {
                Thread.sleep(20);
            }
        });
    }

    @Test
    void callsFollowTheInstancesAsTheyComeAndGo() {
        ChangingInstances instances = new ChangingInstances();
        instances.set("echo-svc", List.of(ChangingInstances.grpcInstance("echo-svc", "a", a.port())));
        try (GrpcChannels channels = new GrpcClientFactory().build(OpenTelemetry.noop(), instances)) {
            EchoServiceGrpc.EchoServiceBlockingStub echo = EchoServiceGrpc.newBlockingStub(channels.channel("echo-svc"));
            assertThat(answering(echo, 4)).containsExactly("a");

            instances.set("echo-svc", List.of(ChangingInstances.grpcInstance("echo-svc", "a", a.port()),
                    ChangingInstances.grpcInstance("echo-svc", "b", b.port())));
            awaitAnswering(echo, Set.of("a", "b"));
            // round robin: with both connected, consecutive calls alternate
            String first = instanceAnswering(echo);
            assertThat(instanceAnswering(echo)).isNotEqualTo(first);

            instances.set("echo-svc", List.of(ChangingInstances.grpcInstance("echo-svc", "b", b.port())));
            awaitAnswering(echo, Set.of("b"));
            assertThat(answering(echo, 6)).containsExactly("b");
        }
        assertThat(instances.listenerCount()).as("closed channels stop listening").isZero();
    }

    @Test
    void instancesWithoutAGrpcPortAreSkipped() {
        ChangingInstances instances = new ChangingInstances();
        instances.set("echo-svc", List.of(
                new dev.wizmesh.discovery.ServiceInstance("http-only", "echo-svc", "127.0.0.1", 1, null, "http", null, null, 1, Map.of(), null),
                ChangingInstances.grpcInstance("echo-svc", "b", b.port())));
        try (GrpcChannels channels = new GrpcClientFactory().build(OpenTelemetry.noop(), instances)) {
            assertThat(answering(EchoServiceGrpc.newBlockingStub(channels.channel("echo-svc")), 4)).containsExactly("b");
        }
    }

    @Test
    void staticModeNamesTheGrpcPortInTheEntry() {
        StaticInstances instances = new StaticInstances(Map.of("echo-svc", List.of("127.0.0.1:8120?grpc=" + a.port())));
        try (GrpcChannels channels = new GrpcClientFactory().build(OpenTelemetry.noop(), instances)) {
            assertThat(answering(EchoServiceGrpc.newBlockingStub(channels.channel("echo-svc")), 2)).containsExactly("a");
        }
    }

    @Test
    void anUnknownServiceIsUpstreamUnavailableAtOnceAndFoundWhenItAppears() {
        ChangingInstances instances = new ChangingInstances();
        try (GrpcChannels channels = new GrpcClientFactory().build(OpenTelemetry.noop(), instances)) {
            EchoServiceGrpc.EchoServiceBlockingStub echo = EchoServiceGrpc.newBlockingStub(channels.channel("echo-svc"));
            assertTimeoutPreemptively(NO_HANG, () -> assertThatThrownBy(
                    () -> GrpcErrors.call("echo-svc", () -> echo.echo(EchoRequest.getDefaultInstance())))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE);
                        assertThat(e.code().httpStatus()).isEqualTo(503);
                        assertThat(e.details()).containsEntry("service", "echo-svc");
                        assertThat(e.getMessage()).isEqualTo("Service echo-svc is unavailable; retry later");
                    }));

            instances.set("echo-svc", List.of(ChangingInstances.grpcInstance("echo-svc", "a", a.port())));
            awaitAnswering(echo, Set.of("a"));
        }
    }

    @Test
    void aServiceThatIsDownIsUpstreamUnavailableNotAHang() throws Exception {
        GrpcServer gone = server("gone");
        int port = gone.port();
        gone.close();
        ChangingInstances instances = new ChangingInstances();
        instances.set("echo-svc", List.of(ChangingInstances.grpcInstance("echo-svc", "gone", port)));
        GrpcClientFactory config = new GrpcClientFactory();
        config.defaultDeadline = io.dropwizard.util.Duration.minutes(5); // the failure must not wait for a deadline
        try (GrpcChannels channels = config.build(OpenTelemetry.noop(), instances)) {
            EchoServiceGrpc.EchoServiceBlockingStub echo = EchoServiceGrpc.newBlockingStub(channels.channel("echo-svc"));
            assertTimeoutPreemptively(NO_HANG, () -> assertThatThrownBy(
                    () -> GrpcErrors.call("echo-svc", () -> echo.echo(EchoRequest.getDefaultInstance())))
                    .isInstanceOfSatisfying(ApiException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE)));
        }
    }
}
