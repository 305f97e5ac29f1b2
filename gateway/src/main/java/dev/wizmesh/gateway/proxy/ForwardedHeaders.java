package dev.wizmesh.gateway.proxy;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.http.HttpFields;

/**
 * {@code X-Forwarded-For}, {@code X-Forwarded-Proto}, {@code X-Forwarded-Host} and RFC 7239
 * {@code Forwarded}: what the gateway tells an upstream about the original request.
 *
 * <p>A client can write these headers too. If the gateway appended to them, an upstream (or
 * our own rate limiter, keyed by client IP) would believe {@code X-Forwarded-For: 10.0.0.1}
 * from anyone: the hole behind CVE-2025-41235 in Spring Cloud Gateway. So the client's copies
 * (any spelling, as with {@link IdentityHeaders}) are <b>replaced</b> with what the gateway saw
 * itself, unless the peer is one of the configured {@link TrustedProxies}; then the chain is
 * kept and the peer is appended, as each proxy in a chain should do.
 */
public final class ForwardedHeaders {
    private static final Set<String> CANONICAL = Set.of(
            "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port",
            "x-forwarded-prefix", "x-real-ip", "forwarded");

    private final TrustedProxies trusted;

    public ForwardedHeaders(TrustedProxies trusted) {
        this.trusted = trusted;
    }

    /** True for every spelling of a forwarding header; these are never copied as the client sent them. */
    public static boolean isForwardingHeader(String name) {
        return CANONICAL.contains(HeaderNames.canonical(name));
    }

    /**
     * The client's address: the peer, or, when the peer is a trusted proxy, the nearest address
     * in {@code X-Forwarded-For} (read from the right) that is not itself a trusted proxy.
     */
    public String clientAddress(HttpServletRequest request) {
        String peer = request.getRemoteAddr();
        if (!trusted.trusts(peer)) {
            return peer;
        }
        List<String> chain = forwardedFor(request);
        for (int i = chain.size() - 1; i >= 0; i--) {
            if (!trusted.trusts(chain.get(i))) {
                return chain.get(i);
            }
        }
        return chain.isEmpty() ? peer : chain.get(0);
    }

    /** Sets the forwarding headers on the upstream request (after the client's copies were dropped). */
    public void set(HttpFields.Mutable headers, HttpServletRequest request) {
        String peer = request.getRemoteAddr();
        String proto = request.getScheme();
        String host = request.getHeader("Host");
        String forwardedFor = peer;
        String forwarded = forwardedElement(peer, proto, host);
        if (trusted.trusts(peer)) {
            List<String> chain = forwardedFor(request);
            if (!chain.isEmpty()) {
                forwardedFor = String.join(", ", chain) + ", " + peer;
            }
            proto = firstNonBlank(request.getHeader("X-Forwarded-Proto"), proto);
            host = firstNonBlank(request.getHeader("X-Forwarded-Host"), host);
            String earlier = String.join(", ", Collections.list(request.getHeaders("Forwarded")));
            if (!earlier.isBlank()) {
                forwarded = earlier + ", " + forwarded;
            }
        }
        headers.put("X-Forwarded-For", forwardedFor);
        headers.put("X-Forwarded-Proto", proto);
        if (host != null) {
            headers.put("X-Forwarded-Host", host);
        }
        headers.put("Forwarded", forwarded);
    }

    private static List<String> forwardedFor(HttpServletRequest request) {
        return Collections.list(request.getHeaders("X-Forwarded-For")).stream()
                .flatMap(v -> java.util.Arrays.stream(v.split(",")))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** One RFC 7239 element; IPv6 addresses and hosts are quoted as the RFC requires. */
    static String forwardedElement(String peer, String proto, String host) {
        String node = peer.contains(":") ? "\"[" + peer.replace("[", "").replace("]", "") + "]\"" : peer;
        StringBuilder out = new StringBuilder("for=").append(node).append(";proto=").append(proto);
        if (host != null && !host.isBlank()) {
            out.append(";host=\"").append(host.replace("\"", "")).append('"');
        }
        return out.toString();
    }

    private static String firstNonBlank(String a, String b) {
        return a != null && !a.isBlank() ? a.trim() : b;
    }
}
