package dev.wizmesh.grpc.metrics;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * RED metrics for the service's gRPC API, on the app's Prometheus registry (so on
 * {@code /metrics/prometheus}), named as go-grpc-prometheus and grpc-ecosystem do:
 * {@code grpc_server_handled_total{service,method,code}} and
 * {@code grpc_server_handling_seconds{service,method}} (a histogram). A call the client abandoned
 * (cancelled, or its deadline passed) counts with code {@code CANCELLED}.
 */
public class GrpcServerMetrics implements ServerInterceptor {
    private final Counter handled;
    private final Histogram handling;

    public GrpcServerMetrics(PrometheusRegistry registry) {
        handled = Counter.builder().name("grpc_server_handled_total")
                .help("gRPC calls completed by the server, by service, method and status code")
                .labelNames("service", "method", "code")
                .register(registry);
        handling = Histogram.builder().name("grpc_server_handling_seconds")
                .help("Time to handle a gRPC call, from its headers to its status, by service and method")
                .unit(Unit.SECONDS)
                .classicOnly()
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .labelNames("service", "method")
                .register(registry);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Outcome outcome = new Outcome(call.getMethodDescriptor().getServiceName(),
                call.getMethodDescriptor().getBareMethodName(), System.nanoTime());
        ServerCall<Q, R> measured = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                outcome.record(status.getCode());
                super.close(status, trailers);
            }
        };
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(measured, headers)) {
            @Override
            public void onCancel() {
                outcome.record(Status.Code.CANCELLED);
                super.onCancel();
            }
        };
    }

    /** One call, recorded once: by its status, or as CANCELLED if the client left first. */
    private final class Outcome {
        private final String service;
        private final String method;
        private final long startNanos;
        private final AtomicBoolean recorded = new AtomicBoolean();

        Outcome(String service, String method, long startNanos) {
            this.service = service;
            this.method = method;
            this.startNanos = startNanos;
        }

        void record(Status.Code code) {
            if (recorded.compareAndSet(false, true)) {
                handled.labelValues(service, method, code.name()).inc();
                handling.labelValues(service, method).observe((System.nanoTime() - startNanos) / 1e9);
            }
        }
    }
}
