package dev.wizmesh.gateway.proxy;

import dev.wizmesh.gateway.auth.Caller;
import dev.wizmesh.gateway.route.Route;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a {@link ProxyFilter} may know about the request being proxied: its route, the client,
 * the verified caller. Headers are the client's as received (identity headers hidden, see
 * {@link IdentityHeaderGuard}). Filters can leave data for each other in {@link #attributes()}
 * and add headers to the response the client gets ({@code X-RateLimit-*}).
 */
public final class ProxyRequest {
    private final HttpServletRequest servletRequest;
    private final Route route;
    private final String path;
    private final String clientAddress;
    private final String requestId;
    private final Caller caller;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final Map<String, String> responseHeaders = new LinkedHashMap<>();

    ProxyRequest(HttpServletRequest servletRequest, Route route, String path, String clientAddress, String requestId, Caller caller) {
        this.servletRequest = servletRequest;
        this.route = route;
        this.path = path;
        this.clientAddress = clientAddress;
        this.requestId = requestId;
        this.caller = caller;
    }

    public Route route() {
        return route;
    }

    public String method() {
        return servletRequest.getMethod();
    }

    /** The path as the client sent it (percent-encoded, checked), before strip/rewrite. */
    public String path() {
        return path;
    }

    /** The client's address, as {@link ForwardedHeaders#clientAddress} works it out. */
    public String clientAddress() {
        return clientAddress;
    }

    public String requestId() {
        return requestId;
    }

    /** The verified caller; empty on a public route. */
    public Optional<Caller> caller() {
        return Optional.ofNullable(caller);
    }

    /** A request header as the client sent it, or null. */
    public String header(String name) {
        return servletRequest.getHeader(name);
    }

    /** Per-request scratch space for filters. */
    public Map<String, Object> attributes() {
        return attributes;
    }

    /** Adds a header to whatever response the client gets: the upstream's or the gateway's error. */
    public synchronized void addResponseHeader(String name, String value) {
        responseHeaders.put(name, value);
    }

    synchronized Map<String, String> responseHeaders() {
        return new LinkedHashMap<>(responseHeaders);
    }
}
