package dev.wizmesh.gateway.edge;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The CORS rules, as plain decisions a test can ask: is this origin allowed, this method, these
 * request headers. Methods compare upper-case, headers case-insensitively, origins exactly
 * (scheme, host and port), as browsers send them.
 */
public final class CorsPolicy {
    private final Set<String> origins;
    private final boolean anyOrigin;
    private final Set<String> methods;
    private final Set<String> headers;
    private final String allowMethods;
    private final String allowHeaders;
    private final String exposeHeaders;
    private final boolean credentials;
    private final long maxAgeSeconds;

    public CorsPolicy(List<String> origins, List<String> methods, List<String> headers, List<String> exposed,
                      boolean credentials, long maxAgeSeconds) {
        this.anyOrigin = origins.contains("*");
        this.origins = Set.copyOf(origins);
        this.methods = methods.stream().map(m -> m.toUpperCase(Locale.ROOT)).collect(Collectors.toCollection(LinkedHashSet::new));
        this.headers = headers.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        this.allowMethods = String.join(", ", this.methods);
        this.allowHeaders = String.join(", ", headers);
        this.exposeHeaders = String.join(", ", exposed);
        this.credentials = credentials;
        this.maxAgeSeconds = maxAgeSeconds;
    }

    public boolean allowsOrigin(String origin) {
        return origin != null && (anyOrigin || origins.contains(origin));
    }

    public boolean allowsMethod(String method) {
        return method != null && methods.contains(method.trim().toUpperCase(Locale.ROOT));
    }

    /** @param requested the preflight's {@code Access-Control-Request-Headers} (comma-separated), may be null */
    public boolean allowsHeaders(String requested) {
        if (requested == null || requested.isBlank()) {
            return true;
        }
        for (String header : requested.split(",")) {
            if (!header.isBlank() && !headers.contains(header.trim().toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    String allowMethods() {
        return allowMethods;
    }

    String allowHeaders() {
        return allowHeaders;
    }

    String exposeHeaders() {
        return exposeHeaders;
    }

    boolean credentials() {
        return credentials;
    }

    long maxAgeSeconds() {
        return maxAgeSeconds;
    }
}
