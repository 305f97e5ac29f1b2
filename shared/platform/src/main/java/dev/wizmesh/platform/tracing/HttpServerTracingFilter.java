package dev.wizmesh.platform.tracing;

import dev.wizmesh.platform.logging.LogFields;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import org.slf4j.MDC;

/**
 * One SERVER span per HTTP request, following the OpenTelemetry HTTP semantic conventions. An
 * incoming W3C {@code traceparent} is continued; the span is current while the request runs,
 * so code below (and the error body, and every log line through the MDC) sees its trace id.
 * The route template is added once Jersey has matched it ({@link HttpRouteListener}).
 */
public class HttpServerTracingFilter implements Filter {
    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
    static final AttributeKey<String> QUERY = AttributeKey.stringKey("url.query");
    static final AttributeKey<String> SCHEME = AttributeKey.stringKey("url.scheme");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
    static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");
    static final AttributeKey<String> PROTOCOL_VERSION = AttributeKey.stringKey("network.protocol.version");
    static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("wizmesh.request_id");

    private static final TextMapGetter<HttpServletRequest> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpServletRequest carrier) {
            return Collections.list(carrier.getHeaderNames());
        }

        @Override
        public String get(HttpServletRequest carrier, String key) {
            return carrier == null ? null : carrier.getHeader(key);
        }
    };

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;

    public HttpServerTracingFilter(OpenTelemetry openTelemetry) {
        this.openTelemetry = openTelemetry;
        this.tracer = openTelemetry.getTracer("dev.wizmesh.platform.http-server");
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        Context parent = openTelemetry.getPropagators().getTextMapPropagator().extract(Context.root(), request, HEADERS);
        String method = request.getMethod();
        Span span = tracer.spanBuilder(method)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(METHOD, method)
                .setAttribute(PATH, request.getRequestURI())
                .setAttribute(SCHEME, request.getScheme())
                .setAttribute(SERVER_ADDRESS, request.getServerName())
                .setAttribute(SERVER_PORT, (long) request.getLocalPort())
                .setAttribute(CLIENT_ADDRESS, request.getRemoteAddr())
                .setAttribute(PROTOCOL_VERSION, request.getProtocol().replace("HTTP/", ""))
                .startSpan();
        if (request.getQueryString() != null) {
            span.setAttribute(QUERY, request.getQueryString());
        }
        if (request.getHeader("User-Agent") != null) {
            span.setAttribute(USER_AGENT, request.getHeader("User-Agent"));
        }
        if (MDC.get(LogFields.REQUEST_ID) != null) {
            span.setAttribute(REQUEST_ID, MDC.get(LogFields.REQUEST_ID));
        }
        MDC.put(LogFields.TRACE_ID, span.getSpanContext().getTraceId());
        MDC.put(LogFields.SPAN_ID, span.getSpanContext().getSpanId());
        try (Scope ignored = span.makeCurrent()) {
            chain.doFilter(req, res);
        } catch (IOException | ServletException | RuntimeException | Error e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            if (request.isAsyncStarted()) {
                // long polls and event streams end later, on another thread
                request.getAsyncContext().addListener(new EndSpanOnAsyncComplete(span, response));
            } else {
                end(span, response.getStatus());
            }
            MDC.remove(LogFields.TRACE_ID);
            MDC.remove(LogFields.SPAN_ID);
        }
    }

    static void end(Span span, int status) {
        span.setAttribute(STATUS, (long) status);
        if (status >= 500) {
            // a server span is an error on 5xx only: a 4xx is the client's failure (semconv)
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }

    private record EndSpanOnAsyncComplete(Span span, HttpServletResponse response) implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
            end(span, response.getStatus());
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            span.setAttribute(STATUS, (long) response.getStatus());
        }

        @Override
        public void onError(AsyncEvent event) {
            if (event.getThrowable() != null) {
                span.recordException(event.getThrowable());
            }
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }
}
