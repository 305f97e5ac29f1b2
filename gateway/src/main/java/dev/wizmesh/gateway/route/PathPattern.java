package dev.wizmesh.gateway.route;

import java.util.ArrayList;
import java.util.List;

/**
 * A route's {@code path}, split into segments for the {@link RouteTable}'s prefix tree.
 *
 * <ul>
 *   <li>{@code /api/v1/tenants}: exactly this path;</li>
 *   <li>{@code /api/v1/users/}: a prefix (a trailing slash), the same as {@code /api/v1/users/**};</li>
 *   <li>{@code *}: exactly one segment, whatever it is ({@code /api/v1/users/*}&#47;{@code wallet});</li>
 *   <li>{@code **}: zero or more segments; only as the last segment.</li>
 * </ul>
 * Segments are compared as the client sent them (percent-encoded), after the proxy's path
 * checks have refused every ambiguous encoding, so there is exactly one spelling to compare.
 */
public final class PathPattern {
    public static final String ONE = "*";
    public static final String REST = "**";

    private final String text;
    private final List<String> segments;
    private final boolean rest;

    private PathPattern(String text, List<String> segments, boolean rest) {
        this.text = text;
        this.segments = List.copyOf(segments);
        this.rest = rest;
    }

    /** @throws IllegalArgumentException naming what is wrong with the pattern */
    public static PathPattern parse(String text) {
        if (text == null || !text.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + text);
        }
        List<String> segments = new ArrayList<>(List.of(text.substring(1).split("/", -1)));
        boolean rest = false;
        if (segments.size() == 1 && segments.get(0).isEmpty()) {
            segments.clear();                     // "/" alone: the root, exactly
        } else if (segments.get(segments.size() - 1).isEmpty()) {
            segments.remove(segments.size() - 1); // "/api/v1/users/": a prefix
            rest = true;
        }
        if (!segments.isEmpty() && REST.equals(segments.get(segments.size() - 1))) {
            segments.remove(segments.size() - 1);
            rest = true;
        }
        for (String segment : segments) {
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("path has an empty segment ('//'): " + text);
            }
            if (REST.equals(segment)) {
                throw new IllegalArgumentException("'**' may only be the last segment: " + text);
            }
            if (!ONE.equals(segment) && segment.contains("*")) {
                throw new IllegalArgumentException("'*' must be a whole segment: " + text);
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("'.' and '..' are not path segments a route may name: " + text);
            }
        }
        return new PathPattern(text, segments, rest);
    }

    /** The segments before any trailing {@code **}; {@code *} stands for one segment. */
    public List<String> segments() {
        return segments;
    }

    /** True when the pattern ends in {@code **} (or a slash): it also matches every path below. */
    public boolean matchesRest() {
        return rest;
    }

    /** The number of leading literal segments: what {@code stripPrefix: true} removes. */
    public int literalPrefixLength() {
        int n = 0;
        while (n < segments.size() && !ONE.equals(segments.get(n))) {
            n++;
        }
        return n;
    }

    /** The pattern's shape without its spelling, so {@code /a/} and {@code /a/**} compare equal. */
    String canonical() {
        return "/" + String.join("/", segments) + (rest ? "/**" : "");
    }

    @Override
    public String toString() {
        return text;
    }
}
