package dev.wizmesh.platform.context;

import dev.wizmesh.platform.requestid.RequestIds;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import org.slf4j.MDC;

/**
 * Carries the request's context where a thread-local cannot follow on its own: to another
 * thread (the {@link RequestContext}, the logging MDC and the OpenTelemetry context, captured
 * when a task is created and installed while it runs), and to an outgoing call (as headers).
 */
public final class ContextPropagation {
    private static final TextMapPropagator W3C = TextMapPropagator.composite(
            W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance());

    private ContextPropagation() {
    }

    public static Runnable wrap(Runnable task) {
        Snapshot snapshot = Snapshot.capture();
        return () -> {
            try (Snapshot.Restored ignored = snapshot.restore()) {
                task.run();
            }
        };
    }

    public static <T> Callable<T> wrap(Callable<T> task) {
        Snapshot snapshot = Snapshot.capture();
        return () -> {
            try (Snapshot.Restored ignored = snapshot.restore()) {
                return task.call();
            }
        };
    }

    /** An executor whose tasks run in the context of the thread that submitted them. */
    public static Executor propagating(Executor delegate) {
        return task -> delegate.execute(wrap(task));
    }

    /**
     * The headers an outgoing call must carry so the next service sees the same request id,
     * caller and trace: X-Request-ID, X-Tenant-ID, X-User-ID, X-User-Roles, traceparent,
     * tracestate and baggage.
     */
    public static Map<String, String> outgoingHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        RequestContext.current().ifPresent(ctx -> {
            putIfPresent(headers, RequestIds.HEADER, ctx.requestId());
            putIfPresent(headers, RequestContext.TENANT_HEADER, ctx.tenantId());
            putIfPresent(headers, RequestContext.USER_HEADER, ctx.userId());
            if (!ctx.roles().isEmpty()) {
                headers.put(RequestContext.ROLES_HEADER, String.join(",", ctx.roles()));
            }
        });
        W3C.inject(Context.current(), headers, Map::put);
        return headers;
    }

    private static void putIfPresent(Map<String, String> headers, String name, String value) {
        if (value != null) {
            headers.put(name, value);
        }
    }

    /** What a task needs from its creator's thread. */
    private record Snapshot(RequestContext request, Map<String, String> mdc, Context otel) {
        static Snapshot capture() {
            return new Snapshot(RequestContext.current().orElse(null), MDC.getCopyOfContextMap(), Context.current());
        }

        Restored restore() {
            Map<String, String> previousMdc = MDC.getCopyOfContextMap();
            RequestContext.Scope requestScope = request == null ? () -> { } : request.attach();
            Scope otelScope = otel.makeCurrent();
            if (mdc == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(mdc);
            }
            return () -> {
                otelScope.close();
                requestScope.close();
                if (previousMdc == null) {
                    MDC.clear();
                } else {
                    MDC.setContextMap(previousMdc);
                }
            };
        }

        interface Restored extends AutoCloseable {
            @Override
            void close();
        }
    }
}
