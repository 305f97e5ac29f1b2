package dev.wizmesh.gateway.route;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the route for a request with a prefix tree over path segments: one node per segment,
 * so a lookup costs as many steps as the path has segments, whether there is 1 route or 10,000
 * (a linear scan, as Spring Cloud Gateway does over its predicates, costs one test per route).
 *
 * <p><b>Most specific wins.</b> Segments are matched left to right; at each position a literal
 * segment is tried before {@code *}, and {@code *} before {@code **}, backing off to the less
 * specific branch only when the more specific one has no route for the request. So for
 * {@code /api/v1/users/me}, {@code /api/v1/users/me} beats {@code /api/v1/users/*}, which beats
 * {@code /api/v1/users/**}, which beats {@code /api/**}. At one node, routes that list methods
 * are tried before routes that take every method.
 *
 * <p>Immutable: a reload builds a new table and swaps it in ({@link LiveRoutes}).
 */
public final class RouteTable {
    private final Node root = new Node();
    private final List<Route> routes;

    /** @throws IllegalArgumentException when two routes have the same id, or the same path with a method in common (or both take every method) */
    public RouteTable(Collection<Route> routes) {
        this.routes = List.copyOf(routes);
        Map<String, Route> ids = new HashMap<>();
        for (Route route : routes) {
            Route clash = ids.putIfAbsent(route.id(), route);
            if (clash != null) {
                throw new IllegalArgumentException("two routes have the id " + route.id());
            }
            insert(route);
        }
    }

    private void insert(Route route) {
        Node node = root;
        for (String segment : route.pattern().segments()) {
            node = PathPattern.ONE.equals(segment)
                    ? (node.any == null ? node.any = new Node() : node.any)
                    : node.literal.computeIfAbsent(segment, s -> new Node());
        }
        List<Route> here = route.pattern().matchesRest() ? node.rest : node.exact;
        for (Route other : here) {
            if (overlap(other, route)) {
                throw new IllegalArgumentException("routes " + other.id() + " and " + route.id()
                        + " take the same requests (" + route.pattern() + ", methods "
                        + (route.methods().isEmpty() ? "all" : route.methods()) + ")");
            }
        }
        here.add(route);
        // routes naming their methods first, so GET /x -> a and * /x -> b send GET to a
        here.sort(Comparator.comparing(r -> r.methods().isEmpty()));
    }

    /** Two catch-alls, or two routes sharing a method, at one place; a catch-all beside method routes is fine (it comes last). */
    private static boolean overlap(Route a, Route b) {
        return (a.methods().isEmpty() && b.methods().isEmpty()) || a.methods().stream().anyMatch(b.methods()::contains);
    }

    /**
     * The route for a request.
     *
     * @param method upper-case HTTP method
     * @param path   the request path as checked by the proxy (percent-encoded, no {@code ..})
     */
    public Lookup find(String method, String path) {
        String[] segments = split(path);
        Set<String> allowed = new TreeSet<>();
        Route route = find(root, segments, 0, method, allowed);
        return new Lookup(Optional.ofNullable(route), route == null ? Set.copyOf(allowed) : Set.of());
    }

    private static Route find(Node node, String[] segments, int i, String method, Set<String> allowed) {
        if (i == segments.length) {
            Route exact = first(node.exact, method, allowed);
            return exact != null ? exact : first(node.rest, method, allowed);
        }
        Node literal = node.literal.get(segments[i]);
        if (literal != null) {
            Route found = find(literal, segments, i + 1, method, allowed);
            if (found != null) {
                return found;
            }
        }
        if (node.any != null) {
            Route found = find(node.any, segments, i + 1, method, allowed);
            if (found != null) {
                return found;
            }
        }
        return first(node.rest, method, allowed);
    }

    private static Route first(List<Route> routes, String method, Set<String> allowed) {
        for (Route route : routes) {
            if (route.allows(method)) {
                return route;
            }
            allowed.addAll(route.methods());
        }
        return null;
    }

    /** "/a/b/" and "/a/b" both give [a, b]; "/" gives []. */
    static String[] split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }

    public List<Route> routes() {
        return routes;
    }

    public int size() {
        return routes.size();
    }

    /**
     * What a lookup found: the route, or none; when none, the methods that routes for this
     * path would have taken (non-empty: the answer is 405 with {@code Allow}, not 404).
     */
    public record Lookup(Optional<Route> route, Set<String> allowedMethods) {
    }

    private static final class Node {
        final Map<String, Node> literal = new HashMap<>();
        Node any;
        final List<Route> exact = new ArrayList<>(1);
        final List<Route> rest = new ArrayList<>(1);
    }
}
