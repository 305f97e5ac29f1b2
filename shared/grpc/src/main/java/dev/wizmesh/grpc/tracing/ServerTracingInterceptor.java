package dev.wizmesh.grpc.tracing;

import dev.wizmesh.platform.errors.ApiException;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Server side: a SERVER span per call, continuing the caller's trace from the metadata, current
 * during every callback of the call (gRPC runs them as separate tasks, possibly on other threads),
 * so log lines, client calls and database spans below the handler join the trace.
 *
 * <p>As the RPC conventions say for servers, only codes that mean the server failed mark the span
 * as an error (UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS); a
 * NOT_FOUND is the caller's problem. Our error code, when there is one, is
 * {@code wizmesh.error.code}.
 */
public class ServerTracingInterceptor implements ServerInterceptor {
    private static final Set<Status.Code> SERVER_FAULTS = EnumSet.of(Status.Code.UNKNOWN, Status.Code.DEADLINE_EXCEEDED,
            Status.Code.UNIMPLEMENTED, Status.Code.INTERNAL, Status.Code.UNAVAILABLE, Status.Code.DATA_LOSS);

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    public ServerTracingInterceptor(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("dev.wizmesh.grpc");
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Context parent = propagator.extract(Context.root(), headers, MetadataCarrier.GETTER);
        Span span = RpcAttributes.describe(tracer.spanBuilder(RpcAttributes.spanName(call.getMethodDescriptor())),
                call.getMethodDescriptor()).setParent(parent).setSpanKind(SpanKind.SERVER).startSpan();
        Context context = parent.with(span);
        AtomicBoolean ended = new AtomicBoolean();
        ServerCall<Q, R> traced = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                if (ended.compareAndSet(false, true)) {
                    RpcAttributes.end(span, status);
                    Throwable cause = status.getCause();
                    if (cause instanceof ApiException api) {
                        span.setAttribute(RpcAttributes.ERROR_CODE, api.code().name());
                    } else if (cause != null) {
                        span.recordException(cause);
                    }
                    if (SERVER_FAULTS.contains(status.getCode())) {
                        span.setStatus(StatusCode.ERROR, status.getCode().name());
                    }
                    span.end();
                }
                super.close(status, trailers);
            }
        };
        ServerCall.Listener<Q> delegate = within(context, () -> next.startCall(traced, headers));
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
            @Override
            public void onMessage(Q message) {
                within(context, () -> super.onMessage(message));
            }

            @Override
            public void onHalfClose() {
                within(context, super::onHalfClose);
            }

            @Override
            public void onReady() {
                within(context, super::onReady);
            }

            @Override
            public void onCancel() {
                // the client went away or its deadline passed before the handler answered
                if (ended.compareAndSet(false, true)) {
                    RpcAttributes.end(span, Status.CANCELLED);
                    span.setStatus(StatusCode.ERROR, "CANCELLED");
                    span.end();
                }
                within(context, super::onCancel);
            }

            @Override
            public void onComplete() {
                within(context, super::onComplete);
            }
        };
    }

    private static void within(Context context, Runnable callback) {
        try (Scope ignored = context.makeCurrent()) {
            callback.run();
        }
    }

    private static <T> T within(Context context, Supplier<T> callback) {
        try (Scope ignored = context.makeCurrent()) {
            return callback.get();
        }
    }
}
