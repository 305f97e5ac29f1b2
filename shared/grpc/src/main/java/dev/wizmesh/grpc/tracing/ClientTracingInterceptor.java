package dev.wizmesh.grpc.tracing;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;

/**
 * Client side: a CLIENT span per call, a child of whatever span is current where the stub is
 * called (the HTTP request's, or the gRPC call being served), and its context injected into the
 * call's metadata ({@code traceparent}, {@code tracestate}, {@code baggage}) with the app's
 * propagators, so the server's span continues the same trace. Any status but OK marks the span
 * as an error.
 */
public class ClientTracingInterceptor implements ClientInterceptor {
    private final Tracer tracer;
    private final TextMapPropagator propagator;

    public ClientTracingInterceptor(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("dev.wizmesh.grpc");
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        Context parent = Context.current();
        Span span = RpcAttributes.describe(tracer.spanBuilder(RpcAttributes.spanName(method)), method)
                .setParent(parent).setSpanKind(SpanKind.CLIENT).startSpan();
        Context context = parent.with(span);
        ClientCall<Q, R> call;
        try (Scope ignored = context.makeCurrent()) {
            call = next.newCall(method, options);
        }
        return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                propagator.inject(context, headers, MetadataCarrier.SETTER);
                try (Scope ignored = context.makeCurrent()) {
                    super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                        @Override
                        public void onClose(Status status, Metadata trailers) {
                            RpcAttributes.end(span, status);
                            if (!status.isOk()) {
                                span.setStatus(StatusCode.ERROR, status.getCode().name());
                            }
                            span.end();
                            super.onClose(status, trailers);
                        }
                    }, headers);
                } catch (RuntimeException e) {
                    span.recordException(e);
                    span.setStatus(StatusCode.ERROR);
                    span.end();
                    throw e;
                }
            }
        };
    }
}
