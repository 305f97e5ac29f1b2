package dev.wizmesh.gateway.route;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.wizmesh.gateway.route.RouteDefinition.Auth;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code routes:} YAML list; {@link #build} checks it and makes the {@link RouteTable}.
 * Without a {@code routes:} key the gateway serves the defaults below, the public API of the
 * three domain services:
 *
 * <pre>
 * routes:
 *   - {id: tenants,    path: /api/v1/tenants,        methods: [POST], service: user-svc, auth: public}
 *   - {id: auth,       path: /api/v1/auth/**,                         service: user-svc, auth: public}
 *   - {id: jwks,       path: /.well-known/jwks.json, methods: [GET],  service: user-svc, auth: public}
 *   - {id: users,      path: /api/v1/users/**,                        service: user-svc}
 *   - {id: products,   path: /api/v1/products/**,                     service: product-svc}
 *   - {id: orders,     path: /api/v1/orders/**,                       service: order-svc}
 * </pre>
 *
 * A {@code routes:} list replaces the defaults as a whole (it does not add to them).
 */
public class RoutesFactory {
    @Valid
    @NotNull
    private final List<RouteDefinition> routes;

    @JsonCreator
    public RoutesFactory(List<RouteDefinition> routes) {
        this.routes = routes == null ? new ArrayList<>() : new ArrayList<>(routes);
    }

    public static RoutesFactory defaults() {
        return new RoutesFactory(List.of(
                RouteDefinition.of("tenants", "/api/v1/tenants", "user-svc", Auth.PUBLIC, "POST"),
                RouteDefinition.of("auth", "/api/v1/auth/**", "user-svc", Auth.PUBLIC),
                RouteDefinition.of("jwks", "/.well-known/jwks.json", "user-svc", Auth.PUBLIC, "GET"),
                RouteDefinition.of("users", "/api/v1/users/**", "user-svc", Auth.REQUIRED),
                RouteDefinition.of("products", "/api/v1/products/**", "product-svc", Auth.REQUIRED),
                RouteDefinition.of("orders", "/api/v1/orders/**", "order-svc", Auth.REQUIRED)));
    }

    @JsonValue
    public List<RouteDefinition> definitions() {
        return routes;
    }

    /**
     * Compiles and checks every route.
     *
     * @param defaultTimeout     for routes without {@code timeout}
     * @param defaultMaxBodySize for routes without {@code maxBodySize}
     * @param check              what else each route must satisfy (policies exist, ...)
     * @throws IllegalArgumentException naming the first route that is wrong, and why
     */
    public RouteTable build(Duration defaultTimeout, long defaultMaxBodySize, RouteCheck check) {
        List<Route> compiled = new ArrayList<>(routes.size());
        for (RouteDefinition definition : routes) {
            Route route = new Route(definition, defaultTimeout, defaultMaxBodySize);
            check.check(route);
            compiled.add(route);
        }
        return new RouteTable(compiled);
    }
}
