package dev.wizmesh.gateway.proxy;

import java.util.Enumeration;
import java.util.HashSet;
import java.util.Set;

/**
 * Headers that describe one connection, not the message (RFC 9110 §7.6.1), so a proxy must not
 * pass them on in either direction: {@code Connection}, {@code Keep-Alive}, {@code Proxy-*},
 * {@code TE}, {@code Trailer}, {@code Transfer-Encoding}, {@code Upgrade}, and every header the
 * {@code Connection} header names. The last rule is also a weapon: a client that sends
 * {@code Connection: X-Tenant-ID} hopes a proxy will drop the header it set itself. Ours drops
 * only the client's copies, then sets its own after this filter has run.
 */
public final class HopByHopHeaders {
    private static final Set<String> ALWAYS = Set.of(
            "connection", "keep-alive", "te", "trailer", "trailers", "transfer-encoding", "upgrade");

    private final Set<String> named;

    private HopByHopHeaders(Set<String> named) {
        this.named = named;
    }

    /** The hop-by-hop set for one message, given its {@code Connection} header values. */
    public static HopByHopHeaders of(Enumeration<String> connectionValues) {
        Set<String> named = new HashSet<>();
        while (connectionValues != null && connectionValues.hasMoreElements()) {
            addTokens(named, connectionValues.nextElement());
        }
        return new HopByHopHeaders(named);
    }

    /** The same, from a list of {@code Connection} values (upstream responses). */
    public static HopByHopHeaders of(Iterable<String> connectionValues) {
        Set<String> named = new HashSet<>();
        for (String value : connectionValues) {
            addTokens(named, value);
        }
        return new HopByHopHeaders(named);
    }

    private static void addTokens(Set<String> named, String value) {
        for (String token : value.split(",")) {
            if (!token.isBlank()) {
                named.add(HeaderNames.canonical(token));
            }
        }
    }

    public boolean isHopByHop(String name) {
        String canonical = HeaderNames.canonical(name);
        return ALWAYS.contains(canonical) || canonical.startsWith("proxy-") || named.contains(canonical);
    }
}
