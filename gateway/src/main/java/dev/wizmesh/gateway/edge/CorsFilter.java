package dev.wizmesh.gateway.edge;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.platform.errors.ErrorResponses;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * CORS at the edge (Fetch standard, "CORS protocol"):
 * <ul>
 *   <li>a <b>preflight</b> ({@code OPTIONS} with {@code Origin} and
 *       {@code Access-Control-Request-Method}) is answered here: 204 with the allowed methods,
 *       headers and max-age when origin, method and headers are all allowed; 403
 *       {@code FORBIDDEN} otherwise. It never reaches a route or a service;</li>
 *   <li>an <b>actual request</b> from an allowed origin gets {@code Access-Control-Allow-Origin}
 *       (the origin itself, with {@code Vary: Origin}, so caches keep one answer per origin),
 *       credentials and exposed headers; the proxy drops the upstream's own
 *       {@code Access-Control-*} headers. A disallowed origin gets no CORS headers, and the
 *       browser refuses to show the response to the page.</li>
 * </ul>
 */
public class CorsFilter implements Filter {
    private final CorsPolicy policy;
    private ObjectMapper mapper = new ObjectMapper();

    public CorsFilter(CorsPolicy policy) {
        this.policy = policy;
    }

    public CorsFilter withMapper(ObjectMapper objectMapper) {
        this.mapper = objectMapper;
        return this;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String origin = request.getHeader("Origin");
        if (origin == null) {
            chain.doFilter(req, res);
            return;
        }
        String requestedMethod = request.getHeader("Access-Control-Request-Method");
        if ("OPTIONS".equalsIgnoreCase(request.getMethod()) && requestedMethod != null) {
            preflight(request, response, origin, requestedMethod);
            return;
        }
        response.addHeader("Vary", "Origin");
        if (policy.allowsOrigin(origin)) {
            allowOrigin(response, origin);
            if (!policy.exposeHeaders().isEmpty()) {
                response.setHeader("Access-Control-Expose-Headers", policy.exposeHeaders());
            }
        }
        chain.doFilter(req, res);
    }

    private void preflight(HttpServletRequest request, HttpServletResponse response, String origin, String method)
            throws IOException {
        response.addHeader("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
        String headers = request.getHeader("Access-Control-Request-Headers");
        if (!policy.allowsOrigin(origin) || !policy.allowsMethod(method) || !policy.allowsHeaders(headers)) {
            String reason = !policy.allowsOrigin(origin) ? "origin " + origin + " is not allowed"
                    : !policy.allowsMethod(method) ? "method " + method + " is not allowed"
                    : "a requested header is not allowed: " + headers;
            ErrorResponses.write(response, mapper, ErrorCode.FORBIDDEN, Map.of("reason", "CORS: " + reason));
            return;
        }
        allowOrigin(response, origin);
        response.setHeader("Access-Control-Allow-Methods", policy.allowMethods());
        if (!policy.allowHeaders().isEmpty()) {
            response.setHeader("Access-Control-Allow-Headers", policy.allowHeaders());
        }
        response.setHeader("Access-Control-Max-Age", Long.toString(policy.maxAgeSeconds()));
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    private void allowOrigin(HttpServletResponse response, String origin) {
        response.setHeader("Access-Control-Allow-Origin", origin);
        if (policy.credentials()) {
            response.setHeader("Access-Control-Allow-Credentials", "true");
        }
    }
}
