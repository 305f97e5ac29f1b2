package dev.wizmesh.grpc.context;

import dev.wizmesh.platform.context.RequestContext;
import dev.wizmesh.platform.logging.LogFields;
import dev.wizmesh.platform.requestid.RequestIds;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.MDC;

/**
 * Server side: turns the caller metadata into a {@link RequestContext} and the logging MDC
 * (request id, tenant, user, trace and span ids), the same as {@code RequestContextFilter} does
 * for HTTP.
 *
 * <p>gRPC runs each callback of a call (message, half-close, cancel, complete) as a separate task,
 * often on a different thread of the server's executor, so a thread-local set once would be
 * missing, or worse, another call's. The context is therefore attached around <em>every</em>
 * callback and the thread's previous state restored afterwards.
 */
public class ServerContextInterceptor implements ServerInterceptor {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,64}");

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String tenantId = headers.get(CallerMetadata.TENANT_ID);
        String userId = headers.get(CallerMetadata.USER_ID);
        String roles = headers.get(CallerMetadata.USER_ROLES);
        String bad = !valid(tenantId) ? "x-tenant-id" : !valid(userId) ? "x-user-id"
                : roles != null && roles.length() > 1024 ? "x-user-roles" : null;
        if (bad != null) {
            call.close(Status.INVALID_ARGUMENT.withDescription("malformed " + bad + " metadata"), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        RequestContext context = new RequestContext(RequestIds.acceptOrGenerate(headers.get(CallerMetadata.REQUEST_ID)),
                tenantId, userId, parseRoles(roles));
        ServerCall.Listener<Q> delegate = attached(context, () -> next.startCall(call, headers));
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
            @Override
            public void onMessage(Q message) {
                attached(context, () -> super.onMessage(message));
            }

            @Override
            public void onHalfClose() {
                attached(context, super::onHalfClose);
            }

            @Override
            public void onCancel() {
                attached(context, super::onCancel);
            }

            @Override
            public void onComplete() {
                attached(context, super::onComplete);
            }

            @Override
            public void onReady() {
                attached(context, super::onReady);
            }
        };
    }

    private static void attached(RequestContext context, Runnable callback) {
        attached(context, () -> {
            callback.run();
            return null;
        });
    }

    private static <T> T attached(RequestContext context, java.util.function.Supplier<T> callback) {
        Map<String, String> previousMdc = MDC.getCopyOfContextMap();
        putOrRemove(LogFields.REQUEST_ID, context.requestId());
        putOrRemove(LogFields.TENANT_ID, context.tenantId());
        putOrRemove(LogFields.USER_ID, context.userId());
        SpanContext span = Span.current().getSpanContext();
        putOrRemove(LogFields.TRACE_ID, span.isValid() ? span.getTraceId() : null);
        putOrRemove(LogFields.SPAN_ID, span.isValid() ? span.getSpanId() : null);
        try (RequestContext.Scope ignored = context.attach()) {
            return callback.get();
        } finally {
            if (previousMdc == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(previousMdc);
            }
        }
    }

    static Set<String> parseRoles(String header) {
        if (header == null || header.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(header.split(",")).map(String::trim).filter(r -> !r.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static boolean valid(String id) {
        return id == null || ID.matcher(id).matches();
    }

    private static void putOrRemove(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
