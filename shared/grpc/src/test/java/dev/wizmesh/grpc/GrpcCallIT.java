package dev.wizmesh.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.wizmesh.grpc.client.GrpcChannels;
import dev.wizmesh.grpc.client.GrpcClientFactory;
import dev.wizmesh.grpc.errors.GrpcErrors;
import dev.wizmesh.grpc.server.GrpcServer;
import dev.wizmesh.grpc.server.GrpcServerFactory;
import dev.wizmesh.grpc.test.v1.EchoReply;
import dev.wizmesh.grpc.test.v1.EchoRequest;
import dev.wizmesh.grpc.test.v1.EchoServiceGrpc;
import dev.wizmesh.grpc.test.v1.Seen;
import dev.wizmesh.platform.context.RequestContext;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One server, one client, over a real loopback socket: context, errors, deadlines, traces, metrics. */
class GrpcCallIT {
    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    private static final OpenTelemetrySdk OTEL = TestTelemetry.inMemory(SPANS);
    private static final PrometheusRegistry METRICS = new PrometheusRegistry();
    private static final ChangingInstances INSTANCES = new ChangingInstances();
    private static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor();
    private static GrpcServer server;
    private static GrpcChannels channels;
    private static EchoServiceGrpc.EchoServiceBlockingStub echo;

    @BeforeAll
    static void start() throws Exception {
        GrpcServerFactory serverConfig = new GrpcServerFactory();
        serverConfig.bindHost = "127.0.0.1";
        server = serverConfig.build(OTEL, METRICS, () -> true, new EchoService("a"));
        server.start();
        INSTANCES.set("echo-svc", List.of(ChangingInstances.grpcInstance("echo-svc", "a", server.port())));
        channels = new GrpcClientFactory().build(OTEL, INSTANCES);
        echo = EchoServiceGrpc.newBlockingStub(channels.channel("echo-svc"));
    }

    @AfterAll
    static void stop() {
        channels.close();
        server.close();
        SCHEDULER.shutdownNow();
        OTEL.close();
    }

    private static EchoRequest text(String text) {
        return EchoRequest.newBuilder().setText(text).build();
    }

    @Test
    void tenantUserRolesAndRequestIdArriveInTheServersContextAndMdc() {
        RequestContext caller = new RequestContext("req-1", "tenant-a", "user-7", new LinkedHashSet<>(List.of("admin", "buyer")));
        EchoReply reply;
        try (RequestContext.Scope ignored = caller.attach()) {
            reply = echo.echo(text("hi"));
        }

        Seen seen = reply.getSeen(0);
        assertThat(seen.getRequestId()).isEqualTo("req-1");
        assertThat(seen.getTenantId()).isEqualTo("tenant-a");
        assertThat(seen.getUserId()).isEqualTo("user-7");
        assertThat(seen.getRolesList()).containsExactly("admin", "buyer");
        assertThat(seen.getMdcRequestId()).isEqualTo("req-1");
        assertThat(seen.getMdcTenantId()).isEqualTo("tenant-a");
    }

    @Test
    void theContextIsThereInEveryCallbackOfAStreamingCall() throws Exception {
        EchoServiceGrpc.EchoServiceStub async = EchoServiceGrpc.newStub(channels.channel("echo-svc"));
        CompletableFuture<EchoReply> done = new CompletableFuture<>();
        StreamObserver<EchoRequest> requests;
        try (RequestContext.Scope ignored = new RequestContext("req-2", "tenant-b", "user-2", null).attach()) {
            requests = async.collect(new StreamObserver<>() {
                @Override
                public void onNext(EchoReply value) {
                    done.complete(value);
                }

                @Override
                public void onError(Throwable t) {
                    done.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {
                }
            });
        }
        for (int i = 0; i < 5; i++) {
            requests.onNext(text(Integer.toString(i)));
        }
        requests.onCompleted();

        EchoReply reply = done.get(20, TimeUnit.SECONDS);
        assertThat(reply.getText()).isEqualTo("01234");
        // start, five messages, half-close: each a separate callback, on whichever executor thread
        assertThat(reply.getSeenList()).hasSize(7).allSatisfy(seen -> {
            assertThat(seen.getRequestId()).isEqualTo("req-2");
            assertThat(seen.getTenantId()).isEqualTo("tenant-b");
            assertThat(seen.getUserId()).isEqualTo("user-2");
            assertThat(seen.getMdcRequestId()).isEqualTo("req-2");
            assertThat(seen.getTraceId()).isEqualTo(reply.getSeen(0).getTraceId()).isNotEqualTo("0".repeat(32));
        });
    }

    @Test
    void aCallWithoutARequestIdGetsOne() {
        Seen seen = echo.echo(text("anon")).getSeen(0);
        assertThat(seen.getRequestId()).isNotBlank();
        assertThat(seen.getTenantId()).isEmpty();
    }

    @Test
    void aBusinessErrorCrossesTheWireWithItsCodeAndDetails() {
        EchoRequest request = EchoRequest.newBuilder().setFailWith("PRODUCT_NOT_FOUND")
                .putDetails("productId", "p-42").build();

        StatusRuntimeException wire = catchThrowableOfType(StatusRuntimeException.class, () -> echo.echo(request));
        assertThat(wire.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(wire.getStatus().getDescription()).isEqualTo("Product p-42 was not found");
        assertThat(GrpcErrors.errorInfo(wire).getReason()).isEqualTo("PRODUCT_NOT_FOUND");
        assertThat(GrpcErrors.errorInfo(wire).getDomain()).isEqualTo("wizmesh");

        ApiException back = catchThrowableOfType(ApiException.class, () -> GrpcErrors.call("echo-svc", () -> echo.echo(request)));
        assertThat(back.code()).isEqualTo(ErrorCode.PRODUCT_NOT_FOUND);
        assertThat(back.details()).isEqualTo(Map.of("productId", "p-42"));
        assertThat(back.getMessage()).isEqualTo("Product p-42 was not found");
    }

    @Test
    void anUnexpectedExceptionIsInternalAndTellsNothing() {
        EchoRequest request = EchoRequest.newBuilder().setFailWith("BUG").build();

        StatusRuntimeException wire = catchThrowableOfType(StatusRuntimeException.class, () -> echo.echo(request));
        assertThat(wire.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(wire.getStatus().getDescription()).doesNotContain("secret").doesNotContain("IllegalState");
        assertThat(GrpcErrors.toApiException(wire, "echo-svc").code()).isEqualTo(ErrorCode.INTERNAL);
    }

    @Test
    void anExceededDeadlineIsAnUpstreamTimeout() {
        EchoRequest slow = EchoRequest.newBuilder().setSleepMillis(30_000).build();

        assertThatThrownBy(() -> GrpcErrors.call("echo-svc",
                () -> echo.withDeadlineAfter(300, TimeUnit.MILLISECONDS).echo(slow)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_TIMEOUT);
                    assertThat(e.code().httpStatus()).isEqualTo(504);
                    assertThat(e.details()).containsEntry("service", "echo-svc");
                });
    }

    @Test
    void aCallWithoutADeadlineGetsTheDefaultAndTheCallersDeadlinePropagates() throws Exception {
        long withDefault = echo.echo(text("x")).getDeadlineMillis();
        assertThat(withDefault).isPositive().isLessThanOrEqualTo(5_000);

        // as inside a gRPC handler: the deadline of the call being served is the budget of the next
        Context.CancellableContext caller = Context.current().withDeadlineAfter(60, TimeUnit.SECONDS, SCHEDULER);
        try {
            long inherited = caller.call(() -> echo.echo(text("y")).getDeadlineMillis());
            assertThat(inherited).isGreaterThan(5_000).isLessThanOrEqualTo(60_000);
        } finally {
            caller.cancel(null);
        }
    }

    @Test
    void theServerSpanContinuesTheClientSpan() {
        Span parent = OTEL.getTracer("test").spanBuilder("caller").startSpan();
        try (Scope ignored = parent.makeCurrent()) {
            echo.echo(text("traced"));
        } finally {
            parent.end();
        }
        String traceId = parent.getSpanContext().getTraceId();

        List<SpanData> spans = SPANS.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
        SpanData client = spans.stream().filter(s -> s.getKind() == SpanKind.CLIENT).findFirst().orElseThrow();
        SpanData server = spans.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
        assertThat(client.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
        assertThat(server.getParentSpanId()).isEqualTo(client.getSpanId());
        for (SpanData span : List.of(client, server)) {
            assertThat(span.getName()).isEqualTo("wizmesh.test.v1.EchoService/Echo");
            assertThat(span.getAttributes().get(AttributeKey.stringKey("rpc.system"))).isEqualTo("grpc");
            assertThat(span.getAttributes().get(AttributeKey.stringKey("rpc.service"))).isEqualTo("wizmesh.test.v1.EchoService");
            assertThat(span.getAttributes().get(AttributeKey.stringKey("rpc.method"))).isEqualTo("Echo");
            assertThat(span.getAttributes().get(AttributeKey.longKey("rpc.grpc.status_code"))).isZero();
        }
    }

    @Test
    void aNotFoundIsNoServerFaultButARecordedCode() {
        Span parent = OTEL.getTracer("test").spanBuilder("caller").startSpan();
        try (Scope ignored = parent.makeCurrent()) {
            assertThatThrownBy(() -> echo.echo(EchoRequest.newBuilder().setFailWith("ORDER_NOT_FOUND").build()));
        } finally {
            parent.end();
        }
        SpanData server = SPANS.getFinishedSpanItems().stream()
                .filter(s -> s.getTraceId().equals(parent.getSpanContext().getTraceId()) && s.getKind() == SpanKind.SERVER)
                .findFirst().orElseThrow();
        assertThat(server.getAttributes().get(AttributeKey.longKey("rpc.grpc.status_code"))).isEqualTo(5L);
        assertThat(server.getAttributes().get(AttributeKey.stringKey("wizmesh.error.code"))).isEqualTo("ORDER_NOT_FOUND");
        assertThat(server.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
    }

    @Test
    void callsAreCountedByServiceMethodAndCode() throws Exception {
        echo.echo(text("counted"));
        assertThatThrownBy(() -> echo.echo(EchoRequest.newBuilder().setFailWith("USER_NOT_FOUND").build()));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, METRICS.scrape());
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text)
                .contains("grpc_server_handled_total{code=\"OK\",method=\"Echo\",service=\"wizmesh.test.v1.EchoService\"}")
                .contains("grpc_server_handled_total{code=\"NOT_FOUND\",method=\"Echo\",service=\"wizmesh.test.v1.EchoService\"}")
                .contains("grpc_server_handling_seconds_bucket{method=\"Echo\",service=\"wizmesh.test.v1.EchoService\",le=\"0.001\"}");
    }
}
