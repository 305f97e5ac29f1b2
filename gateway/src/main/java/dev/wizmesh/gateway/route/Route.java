package dev.wizmesh.gateway.route;

import dev.wizmesh.gateway.canary.CanaryRule;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A {@link RouteDefinition} checked and compiled for use on every request: its pattern parsed,
 * its methods upper-cased, its rewrite regex compiled, its defaults filled in.
 */
public final class Route {
    /** The {@code rateLimit:} value that turns rate limiting off for a route. */
    public static final String NO_RATE_LIMIT = "none";

    private final RouteDefinition definition;
    private final PathPattern pattern;
    private final Set<String> methods;
    private final int stripSegments;
    private final String stripLiteral;
    private final Pattern rewriteFrom;
    private final Duration timeout;
    private final long maxBodySize;

    /**
     * @param defaultTimeout     used when the route sets no {@code timeout}
     * @param defaultMaxBodySize used when the route sets no {@code maxBodySize}
     * @throws IllegalArgumentException naming the route and what is wrong with it
     */
    public Route(RouteDefinition definition, Duration defaultTimeout, long defaultMaxBodySize) {
        this.definition = definition;
        try {
            this.pattern = PathPattern.parse(definition.path);
            this.methods = definition.methods.stream().map(m -> m.trim().toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
            String strip = definition.stripPrefix == null ? null : definition.stripPrefix.trim();
            if (strip == null || strip.isEmpty() || strip.equals("0") || strip.equals("false")) {
                stripSegments = 0;
                stripLiteral = null;
            } else if (strip.equals("true")) {
                stripSegments = pattern.literalPrefixLength();
                stripLiteral = null;
            } else if (strip.startsWith("/")) {
                stripSegments = 0;
                stripLiteral = strip.endsWith("/") ? strip.substring(0, strip.length() - 1) : strip;
            } else {
                stripSegments = Integer.parseInt(strip);
                stripLiteral = null;
                if (stripSegments < 0) {
                    throw new IllegalArgumentException("stripPrefix must not be negative");
                }
            }
            this.rewriteFrom = definition.rewrite == null ? null : Pattern.compile(definition.rewrite.from);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("route " + definition.id + ": " + e.getMessage(), e);
        }
        this.timeout = definition.timeout == null ? defaultTimeout : definition.timeout.toJavaDuration();
        this.maxBodySize = definition.maxBodySize == null ? defaultMaxBodySize : definition.maxBodySize.toBytes();
    }

    public String id() {
        return definition.id;
    }

    public String service() {
        return definition.service;
    }

    public PathPattern pattern() {
        return pattern;
    }

    /** Upper-case; empty means every method. */
    public Set<String> methods() {
        return methods;
    }

    /** True when this route takes {@code method}; a route that takes GET takes HEAD too. */
    public boolean allows(String method) {
        return methods.isEmpty() || methods.contains(method) || ("HEAD".equals(method) && methods.contains("GET"));
    }

    public boolean authRequired() {
        return definition.auth == RouteDefinition.Auth.REQUIRED;
    }

    /**
     * The policy the route names. Empty both for {@code rateLimit: none} (see {@link
     * #rateLimitDisabled()}) and when the route names none (the limiter's default then applies).
     */
    public Optional<String> rateLimitPolicy() {
        String policy = definition.rateLimit;
        return policy == null || policy.isBlank() || NO_RATE_LIMIT.equals(policy) ? Optional.empty() : Optional.of(policy);
    }

    /** True when the route says {@code rateLimit: none}. */
    public boolean rateLimitDisabled() {
        return NO_RATE_LIMIT.equals(definition.rateLimit);
    }

    public Optional<String> retryPolicy() {
        return Optional.ofNullable(definition.retry).filter(s -> !s.isBlank());
    }

    public Optional<CanaryRule> canary() {
        return Optional.ofNullable(definition.canary);
    }

    /** How long to wait for the upstream's response headers. */
    public Duration timeout() {
        return timeout;
    }

    /** The largest request body this route forwards, in bytes. */
    public long maxBodySize() {
        return maxBodySize;
    }

    public RouteDefinition definition() {
        return definition;
    }

    /**
     * The path to send upstream: the client's (already checked) path with the prefix stripped,
     * then rewritten. Never empty: a fully stripped path becomes {@code /}.
     */
    public String upstreamPath(String path) {
        String out = path;
        if (stripLiteral != null && (out.equals(stripLiteral) || out.startsWith(stripLiteral + "/"))) {
            out = out.substring(stripLiteral.length());
        } else if (stripSegments > 0) {
            int at = 0;
            for (int i = 0; i < stripSegments && at >= 0; i++) {
                at = out.indexOf('/', at + 1);
            }
            out = at < 0 ? "/" : out.substring(at);
        }
        if (rewriteFrom != null) {
            out = rewriteFrom.matcher(out).replaceFirst(definition.rewrite.to);
        }
        return out.isEmpty() ? "/" : out.startsWith("/") ? out : "/" + out;
    }

    @Override
    public String toString() {
        return definition.toString();
    }
}
