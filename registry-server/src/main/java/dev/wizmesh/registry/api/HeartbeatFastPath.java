package dev.wizmesh.registry.api;

import dev.wizmesh.platform.requestid.RequestIdFilter;
import dev.wizmesh.platform.requestid.RequestIds;
import dev.wizmesh.registry.core.InstanceRegistry;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The lean path for the registry's most frequent call by far, {@code PUT
 * /v1/services/{service}/instances/{id}/heartbeat}: a servlet filter ahead of every other filter
 * and of Jersey that renews the lease and answers 200 itself, as Eureka and Consul keep their
 * renewal path lean. 10,000 instances heartbeating every 10 s are 1,000 calls a second that
 * would otherwise each pay Jersey's routing and request scope, a server span and the route
 * metrics.
 *
 * <p>It only ever answers the success. Anything else goes on down the normal chain, unchanged:
 * a missing or wrong token (checked here in constant time, then answered 401 by
 * {@link WriteTokenFilter}), an unknown instance ({@link InstanceResource} answers 404
 * {@code INSTANCE_NOT_FOUND}; the failed renewal changed nothing, so asking again is harmless),
 * a path with encoded or unusual characters, a body type or an Accept Jersey would refuse. So
 * every error keeps the one error shape with its request and trace ids, and the fast path can
 * never answer differently from the resource: it can only answer sooner.
 *
 * <p>What a fast-path heartbeat keeps: the {@code X-Request-ID} (the client's when well-formed,
 * a new one otherwise, on the response and as the request attribute the access log reads), the
 * {@code registry_heartbeats_total} count, Jetty's request metrics and the access log. What it
 * skips: a server span and the per-route {@code http_server_*} metrics (a trace of a lease
 * renewal says nothing a counter does not).
 */
public class HeartbeatFastPath implements Filter {
    static final String PREFIX = "/v1/services/";
    private static final String INSTANCES = "/instances/";
    private static final String SUFFIX = "/heartbeat";
    private static final byte[] RENEWED_TAIL = "\",\"renewed\":true}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID_HEAD = "{\"id\":\"".getBytes(StandardCharsets.US_ASCII);

    private final InstanceRegistry registry;
    private final BearerToken token;

    public HeartbeatFastPath(InstanceRegistry registry, String token) {
        this.registry = registry;
        this.token = new BearerToken(token);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        if (!"PUT".equals(request.getMethod())) {
            chain.doFilter(req, res);
            return;
        }
        Target target = parse(request.getRequestURI());
        if (target == null || !acceptable(request) || !token.matches(request.getHeader("Authorization"))
                || !registry.heartbeat(target.service, target.id)) {
            chain.doFilter(req, res); // the resource answers, exactly as without this filter
            return;
        }
        HttpServletResponse response = (HttpServletResponse) res;
        String requestId = RequestIds.acceptOrGenerate(request.getHeader(RequestIds.HEADER));
        request.setAttribute(RequestIdFilter.ATTRIBUTE, requestId);
        response.setHeader(RequestIds.HEADER, requestId);
        byte[] id = target.id.getBytes(StandardCharsets.US_ASCII); // plain characters only: see parse
        response.setStatus(200);
        response.setContentType("application/json");
        response.setContentLength(ID_HEAD.length + id.length + RENEWED_TAIL.length);
        var out = response.getOutputStream();
        out.write(ID_HEAD);
        out.write(id);
        out.write(RENEWED_TAIL);
    }

    record Target(String service, String id) {
    }

    /**
     * {@code /v1/services/{service}/instances/{id}/heartbeat}, with both names made of letters,
     * digits and {@code . _ : ~ -} only (so they need no decoding and no escaping in the JSON
     * answer); null for anything else, which Jersey then routes.
     */
    static Target parse(String uri) {
        if (uri == null || !uri.startsWith(PREFIX) || !uri.endsWith(SUFFIX)) {
            return null;
        }
        int serviceEnd = uri.indexOf('/', PREFIX.length());
        if (serviceEnd <= PREFIX.length() || !uri.startsWith(INSTANCES, serviceEnd)) {
            return null;
        }
        int idStart = serviceEnd + INSTANCES.length();
        int idEnd = uri.length() - SUFFIX.length();
        if (idEnd <= idStart || !plain(uri, PREFIX.length(), serviceEnd) || !plain(uri, idStart, idEnd)) {
            return null;
        }
        return new Target(uri.substring(PREFIX.length(), serviceEnd), uri.substring(idStart, idEnd));
    }

    private static boolean plain(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-' || c == '~' || c == ':';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** What Jersey would accept for this resource: no body type or JSON, and an answer in JSON. */
    private static boolean acceptable(HttpServletRequest request) {
        String contentType = request.getContentType();
        if (contentType != null && !contentType.regionMatches(true, 0, "application/json", 0, 16)) {
            return false;
        }
        String accept = request.getHeader("Accept");
        if (accept != null && accept.contains("q=0")) {
            return false; // weights: let Jersey negotiate
        }
        return accept == null || accept.contains("*/*") || accept.contains("application/json") || accept.contains("application/*");
    }
}
