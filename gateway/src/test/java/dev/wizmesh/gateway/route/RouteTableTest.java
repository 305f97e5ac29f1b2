package dev.wizmesh.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wizmesh.gateway.route.RouteDefinition.Auth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private static Route route(String id, String path, String... methods) {
        return new Route(RouteDefinition.of(id, path, id + "-svc", Auth.REQUIRED, methods), Duration.ofSeconds(30), 1024);
    }

    private static Optional<String> find(RouteTable table, String method, String path) {
        return table.find(method, path).route().map(Route::id);
    }

    @Test
    void theMostSpecificRouteWinsLiteralThenStarThenRest() {
        RouteTable table = new RouteTable(List.of(
                route("api", "/api/**"),
                route("users", "/api/v1/users/**"),
                route("user", "/api/v1/users/*"),
                route("me", "/api/v1/users/me"),
                route("wallet", "/api/v1/users/*/wallet"),
                route("root", "/")));

        assertThat(find(table, "GET", "/api/v1/users/me")).contains("me");
        assertThat(find(table, "GET", "/api/v1/users/42")).contains("user");
        assertThat(find(table, "GET", "/api/v1/users/42/wallet")).contains("wallet");
        assertThat(find(table, "GET", "/api/v1/users/42/wallet/credits")).contains("users");
        assertThat(find(table, "GET", "/api/v1/users")).contains("users");     // ** matches zero segments
        assertThat(find(table, "GET", "/api/v1/users/")).contains("users");
        assertThat(find(table, "GET", "/api/v2/anything")).contains("api");
        assertThat(find(table, "GET", "/")).contains("root");
        assertThat(find(table, "GET", "/other")).isEmpty();
    }

    @Test
    void backsOffToALessSpecificBranchWhenTheSpecificOneHasNoRoute() {
        RouteTable table = new RouteTable(List.of(route("deep", "/a/b/c/d"), route("star", "/a/*/c")));
        assertThat(find(table, "GET", "/a/b/c")).contains("star");
        assertThat(find(table, "GET", "/a/b/c/d")).contains("deep");
        assertThat(find(table, "GET", "/a/x/c")).contains("star");
    }

    @Test
    void methodsFilterAndAPathWithOnlyOtherMethodsGivesTheAllowedOnes() {
        RouteTable table = new RouteTable(List.of(
                route("create", "/api/v1/tenants", "POST"),
                route("read", "/api/v1/items/**", "GET"),
                route("write", "/api/v1/items/**")));

        assertThat(find(table, "POST", "/api/v1/tenants")).contains("create");
        RouteTable.Lookup wrong = table.find("GET", "/api/v1/tenants");
        assertThat(wrong.route()).isEmpty();
        assertThat(wrong.allowedMethods()).containsExactly("POST");
        // a route naming its methods is tried before a catch-all at the same place
        assertThat(find(table, "GET", "/api/v1/items/1")).contains("read");
        assertThat(find(table, "HEAD", "/api/v1/items/1")).contains("read");
        assertThat(find(table, "DELETE", "/api/v1/items/1")).contains("write");
    }

    @Test
    void conflictingRoutesAndBadPatternsAreRefusedNamingTheRoute() {
        assertThatThrownBy(() -> new RouteTable(List.of(route("a", "/x/**", "GET"), route("b", "/x/", "GET", "POST"))))
                .hasMessageContaining("a").hasMessageContaining("b");
        assertThatThrownBy(() -> new RouteTable(List.of(route("a", "/x"), route("a", "/y"))))
                .hasMessageContaining("two routes have the id a");
        assertThatThrownBy(() -> route("bad", "/x/**/y")).hasMessageContaining("route bad");
        assertThatThrownBy(() -> route("bad", "x")).hasMessageContaining("start with '/'");
        assertThatThrownBy(() -> route("bad", "/x/a*")).hasMessageContaining("whole segment");
        // the same path with disjoint methods is fine
        new RouteTable(List.of(route("a", "/x", "GET"), route("b", "/x", "POST")));
    }

    @Test
    void tenThousandRoutesEachFindTheirOwnRequests() {
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            routes.add(route("r" + i, "/api/v1/svc" + (i % 100) + "/res" + i + "/**"));
        }
        routes.add(route("catch", "/api/**"));
        RouteTable table = new RouteTable(routes);

        for (int i = 0; i < 10_000; i += 7) {
            assertThat(find(table, "GET", "/api/v1/svc" + (i % 100) + "/res" + i + "/items/" + i)).contains("r" + i);
        }
        assertThat(find(table, "GET", "/api/v1/svc1/res2/x")).contains("catch");   // res2 lives under svc2
        assertThat(find(table, "GET", "/nope")).isEmpty();
        assertThat(table.size()).isEqualTo(10_001);
    }

    @Test
    void stripPrefixAndRewriteShapeTheUpstreamPath() {
        RouteDefinition bySegments = RouteDefinition.of("s", "/api/v1/users/**", "user-svc", Auth.REQUIRED);
        bySegments.stripPrefix = "2";
        assertThat(new Route(bySegments, Duration.ofSeconds(1), 1).upstreamPath("/api/v1/users/me")).isEqualTo("/users/me");

        RouteDefinition literal = RouteDefinition.of("l", "/edge/users/**", "user-svc", Auth.REQUIRED);
        literal.stripPrefix = "/edge";
        Route literalRoute = new Route(literal, Duration.ofSeconds(1), 1);
        assertThat(literalRoute.upstreamPath("/edge/users/1")).isEqualTo("/users/1");
        assertThat(literalRoute.upstreamPath("/edge")).isEqualTo("/");

        RouteDefinition whole = RouteDefinition.of("w", "/legacy/**", "user-svc", Auth.REQUIRED);
        whole.stripPrefix = "true";
        whole.rewrite = new RouteDefinition.Rewrite("^/(.*)$", "/api/v2/$1");
        assertThat(new Route(whole, Duration.ofSeconds(1), 1).upstreamPath("/legacy/orders/7")).isEqualTo("/api/v2/orders/7");
    }

    @Test
    void theDefaultRoutesCoverTheDomainServices() {
        RouteTable table = RoutesFactory.defaults().build(Duration.ofSeconds(30), 1024, RouteCheck.NONE);
        assertThat(find(table, "POST", "/api/v1/tenants")).contains("tenants");
        assertThat(find(table, "POST", "/api/v1/auth/login")).contains("auth");
        assertThat(find(table, "GET", "/.well-known/jwks.json")).contains("jwks");
        assertThat(find(table, "GET", "/api/v1/users/me")).contains("users");
        assertThat(find(table, "GET", "/api/v1/products")).contains("products");
        assertThat(find(table, "POST", "/api/v1/orders")).contains("orders");
        assertThat(table.find("GET", "/api/v1/tenants").route().map(Route::authRequired)).isEmpty();
        assertThat(table.find("POST", "/api/v1/auth/login").route().orElseThrow().authRequired()).isFalse();
        assertThat(table.find("GET", "/api/v1/orders/1").route().orElseThrow().authRequired()).isTrue();
    }
}
