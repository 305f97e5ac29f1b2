package dev.wizmesh.gateway.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wizmesh.gateway.auth.AuthenticationFailure;
import dev.wizmesh.gateway.auth.Authenticator;
import dev.wizmesh.gateway.auth.Caller;
import dev.wizmesh.gateway.route.LiveRoutes;
import dev.wizmesh.gateway.route.Route;
import dev.wizmesh.gateway.route.RouteTable;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.platform.errors.ErrorResponses;
import dev.wizmesh.platform.requestid.RequestIdFilter;
import dev.wizmesh.platform.requestid.RequestIds;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.client.HttpClient;

/**
 * The gateway's one servlet, mapped to {@code /*} on the application port. Each request goes
 * through these steps; any of the first six may answer it without calling an upstream:
 *
 * <ol>
 *   <li><b>path check</b> ({@link PathNormalizer}): ambiguous or traversing paths → 400;</li>
 *   <li><b>route lookup</b> ({@link RouteTable}): none → 404 {@code ROUTE_NOT_FOUND}, wrong
 *       method → 405;</li>
 *   <li><b>body size</b>: a Content-Length over the route's {@code maxBodySize} → 413 at once
 *       (a chunked body is counted as it streams);</li>
 *   <li><b>authentication</b>: on {@code auth: required} routes, the {@link Authenticator} turns
 *       the bearer token into a {@link Caller}, or 401;</li>
 *   <li><b>filters</b> ({@link ProxyFilter#beforeForwarding}): rate limits, ...;</li>
 *   <li>then {@link ProxyExchange}, asynchronously: per attempt the filters' candidates and
 *       checks (canary, circuit breaker), an instance from the service's chooser (none → 503
 *       {@code NO_HEALTHY_INSTANCE}), the upstream request with clean headers, both bodies
 *       streamed, retries by the {@link RetryDecider}, 502/504 in the error shape.</li>
 * </ol>
 */
public class ProxyServlet extends HttpServlet {
    /** Request attributes for the access log (see {@code requestAttributes} in config/gateway.yml). */
    public static final String ROUTE_ATTRIBUTE = "gateway.route";
    public static final String UPSTREAM_ATTRIBUTE = "gateway.upstream";

    /** What the lead plugs in: who the caller is, what may stop or steer a request, when to retry. */
    public record Pipeline(Authenticator authenticator, List<ProxyFilter> filters, RetryDecider retries) {
        public Pipeline {
            filters = List.copyOf(filters);
        }
    }

    final LiveRoutes routes;
    final Upstreams upstreams;
    final HttpClient client;
    final ForwardedHeaders forwarded;
    final Authenticator authenticator;
    final List<ProxyFilter> filters;
    final RetryDecider retries;
    final ProxyMetrics metrics;
    final Tracer tracer;
    final TextMapPropagator propagator;
    final ObjectMapper mapper;
    final boolean gatewayOwnsCors;
    final Duration exchangeIdleTimeout;
    /** Upstream connections that have completed an exchange: a failure on one of these is the stale-connection race. */
    final Cache<Object, Boolean> usedConnections = Caffeine.newBuilder().weakKeys().build();

    /**
     * @param gatewayOwnsCors true when the gateway answers CORS itself: upstream
     *                        {@code Access-Control-*} headers are then dropped
     */
    public ProxyServlet(LiveRoutes routes, Upstreams upstreams, HttpClient client, ForwardedHeaders forwarded,
                        Pipeline pipeline, ProxyMetrics metrics, OpenTelemetry openTelemetry, ObjectMapper mapper,
                        boolean gatewayOwnsCors, Duration exchangeIdleTimeout) {
        this.routes = routes;
        this.upstreams = upstreams;
        this.client = client;
        this.forwarded = forwarded;
        this.authenticator = pipeline.authenticator();
        this.filters = pipeline.filters();
        this.retries = pipeline.retries();
        this.metrics = metrics;
        this.tracer = openTelemetry.getTracer("dev.wizmesh.gateway.proxy");
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
        this.mapper = mapper;
        this.gatewayOwnsCors = gatewayOwnsCors;
        this.exchangeIdleTimeout = exchangeIdleTimeout;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long start = System.nanoTime();
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        String path = request.getRequestURI();

        Optional<String> badPath = PathNormalizer.problem(path);
        if (badPath.isPresent()) {
            reject(request, response, null, Rejection.of(ErrorCode.BAD_REQUEST, Map.of("reason", badPath.get())), start);
            return;
        }

        RouteTable.Lookup lookup = routes.current().find(method, path);
        if (lookup.route().isEmpty()) {
            Rejection rejection = lookup.allowedMethods().isEmpty()
                    ? Rejection.of(ErrorCode.ROUTE_NOT_FOUND, Map.of("method", method, "path", path))
                    : Rejection.of(ErrorCode.METHOD_NOT_ALLOWED, Map.of("method", method,
                            "allowed", String.join(", ", lookup.allowedMethods())))
                            .withHeader("Allow", String.join(", ", lookup.allowedMethods()));
            reject(request, response, null, rejection, start);
            return;
        }
        Route route = lookup.route().get();
        request.setAttribute(ROUTE_ATTRIBUTE, route.id());

        long length = request.getContentLengthLong();
        if (length > route.maxBodySize()) {
            reject(request, response, route, Rejection.of(ErrorCode.PAYLOAD_TOO_LARGE, Map.of("limit", route.maxBodySize())), start);
            return;
        }
        boolean hasBody = length > 0 || (length < 0 && request.getHeader("Transfer-Encoding") != null);

        Caller caller = null;
        if (route.authRequired()) {
            if (authenticator == null) {
                reject(request, response, route, Rejection.of(ErrorCode.UNAUTHENTICATED, Map.of("reason", "no authenticator is configured"))
                        .withHeader("WWW-Authenticate", "Bearer realm=\"wizmesh\""), start);
                return;
            }
            try {
                caller = authenticator.authenticate(request.getHeader("Authorization"));
            } catch (AuthenticationFailure failure) {
                reject(request, response, route, Rejection.of(ErrorCode.UNAUTHENTICATED, Map.of("reason", failure.reason()))
                        .withHeader("WWW-Authenticate", failure.wwwAuthenticate()), start);
                return;
            }
        }

        Object id = request.getAttribute(RequestIdFilter.ATTRIBUTE);
        String requestId = id != null ? id.toString() : RequestIds.acceptOrGenerate(request.getHeader(RequestIds.HEADER));
        ProxyRequest proxyRequest = new ProxyRequest(request, route, path, forwarded.clientAddress(request), requestId, caller);
        for (ProxyFilter filter : filters) {
            Optional<Rejection> rejection = filter.beforeForwarding(proxyRequest);
            if (rejection.isPresent()) {
                proxyRequest.responseHeaders().forEach(response::setHeader);
                reject(request, response, route, rejection.get(), start);
                return;
            }
        }

        AsyncContext async = request.startAsync();
        async.setTimeout(0);   // the exchange has its own timeouts
        new ProxyExchange(this, request, response, async, proxyRequest, length, hasBody, start).start();
    }

    private void reject(HttpServletRequest request, HttpServletResponse response, Route route, Rejection rejection, long start)
            throws IOException {
        writeError(response, rejection);
        metrics.request(request.getMethod(), route == null ? ProxyMetrics.UNMATCHED : route.id(),
                route == null ? ProxyMetrics.NO_SERVICE : route.service(),
                rejection.code().httpStatus(), (System.nanoTime() - start) / 1e9);
    }

    /** The one error shape, with the rejection's headers; the caller makes sure nothing was committed. */
    void writeError(HttpServletResponse response, Rejection rejection) throws IOException {
        rejection.headers().forEach(response::setHeader);
        ErrorResponses.write(response, mapper, rejection.code(), rejection.details());
    }
}
