package dev.wizmesh.gateway.route;

/**
 * A check a route must pass before a table containing it is used (at start-up and on every
 * reload), for what only other parts of the gateway know: does the rate-limit policy it names
 * exist, does its retry policy. A failing check throws {@link IllegalArgumentException} naming
 * the route; the whole table is refused and the old one stays.
 */
@FunctionalInterface
public interface RouteCheck {
    RouteCheck NONE = route -> { };

    void check(Route route);

    default RouteCheck and(RouteCheck next) {
        return route -> {
            check(route);
            next.check(route);
        };
    }
}
