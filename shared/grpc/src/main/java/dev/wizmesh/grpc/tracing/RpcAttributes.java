package dev.wizmesh.grpc.tracing;

import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;

/**
 * OpenTelemetry's RPC semantic conventions for gRPC spans: the span is named
 * {@code <package.Service>/<Method>} and carries {@code rpc.system=grpc}, {@code rpc.service},
 * {@code rpc.method} and, when the call ends, {@code rpc.grpc.status_code}.
 */
final class RpcAttributes {
    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("rpc.system");
    static final AttributeKey<String> SERVICE = AttributeKey.stringKey("rpc.service");
    static final AttributeKey<String> METHOD = AttributeKey.stringKey("rpc.method");
    static final AttributeKey<Long> STATUS_CODE = AttributeKey.longKey("rpc.grpc.status_code");
    static final AttributeKey<String> ERROR_CODE = AttributeKey.stringKey("wizmesh.error.code");

    private RpcAttributes() {
    }

    static String spanName(MethodDescriptor<?, ?> method) {
        return method.getFullMethodName();
    }

    static SpanBuilder describe(SpanBuilder span, MethodDescriptor<?, ?> method) {
        return span.setAttribute(SYSTEM, "grpc")
                .setAttribute(SERVICE, method.getServiceName())
                .setAttribute(METHOD, method.getBareMethodName());
    }

    static void end(Span span, Status status) {
        span.setAttribute(STATUS_CODE, (long) status.getCode().value());
    }
}
