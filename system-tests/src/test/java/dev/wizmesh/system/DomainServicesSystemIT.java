package dev.wizmesh.system;

import static dev.wizmesh.system.JsonCalls.with;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wizmesh.system.JsonCalls.Reply;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.wizmesh.testing.PostgresExtension;
import dev.wizmesh.testing.ServiceProcesses;
import dev.wizmesh.testing.ServiceProcesses.Running;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The domain services as separate processes with the registry, on one PostgreSQL, with this test
 * in the gateway's place (it verifies the token and forwards the caller headers). An order is
 * priced by product-svc over gRPC, found through {@code registry:///product-svc}, and placed by a
 * saga that reserves its stock in product-svc and takes the payment in user-svc; product-svc
 * killed, placing an order is a quick 503; product-svc back, orders work again.
 */
class DomainServicesSystemIT {
    private final JsonCalls calls = new JsonCalls();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();



    /** What the gateway does with a bearer token: verify it against the JWKS, forward who is calling. */
    private Map<String, String> callerFrom(String token, Running userSvc) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        String jwks = http.send(HttpRequest.newBuilder(userSvc.url("/.well-known/jwks.json")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        RSAKey key = (RSAKey) JWKSet.parse(jwks).getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(jwt.verify(new RSASSAVerifier(key))).as("token verifies against user-svc's JWKS").isTrue();
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        return Map.of("X-Tenant-ID", claims.getStringClaim("tid"), "X-User-ID", claims.getSubject(),
                "X-User-Roles", String.join(",", claims.getStringListClaim("roles")));
    }

    @Test
    void anOrderIsPricedByProductSvcThroughTheRegistryAndSurvivesItsRestart() throws Exception {
        try (ServiceProcesses stack = new ServiceProcesses(PostgresExtension.sharedServer())) {
            stack.startRegistry();
            Running users = stack.startService("user-svc");
            Running products = stack.startService("product-svc");
            Running orders = stack.startService("order-svc");

            // sign up, log in, and act on the token as the gateway would
            Reply signup = calls.call("POST", users.url("/api/v1/tenants"), Map.of(),
                    Map.of("name", "Acme", "adminEmail", "admin@acme.test", "adminPassword", "correct horse battery"));
            assertThat(signup.status()).as(signup.body().toString()).isEqualTo(201);
            Reply login = calls.call("POST", users.url("/api/v1/auth/login"), Map.of(), Map.of(
                    "tenantId", signup.body().get("tenantId").asText(), "email", "admin@acme.test", "password", "correct horse battery"));
            assertThat(login.status()).isEqualTo(200);
            Map<String, String> admin = callerFrom(login.body().get("accessToken").asText(), users);

            // the buyer's wallet pays for the orders: the saga's second step
            Reply credit = calls.call("POST", users.url("/api/v1/users/" + admin.get("X-User-ID") + "/wallet/credits"),
                    with(admin, "Idempotency-Key", "credit-1"), Map.of("amountCents", 100_000));
            assertThat(credit.status()).as(credit.body().toString()).isEqualTo(201);

            Reply widget = calls.call("POST", products.url("/api/v1/products"), admin, Map.of("sku", "WID-1", "name", "Widget",
                    "description", "A widget", "priceCents", 1250, "currency", "EUR", "stock", 10));
            assertThat(widget.status()).as(widget.body().toString()).isEqualTo(201);
            String widgetId = widget.body().get("id").asText();

            // product-svc registered its gRPC port; order-svc resolves registry:///product-svc through it
            Reply registered = calls.call("GET", stack.registryUrl("/v1/services/product-svc"), Map.of(), null);
            assertThat(registered.body().get("instances").get(0).get("grpcPort").asInt()).isEqualTo(products.grpcPort());

            Reply order = placeOrder(orders, admin, widgetId, 3);
            assertThat(order.status()).as(order.body().toString()).isEqualTo(201);
            assertThat(order.body().get("totalCents").asLong()).isEqualTo(3 * 1250);
            assertThat(order.body().get("items").get(0).get("name").asText()).isEqualTo("Widget");
            // placed by a saga across the three processes: stock reserved, wallet debited, CONFIRMED
            assertThat(order.body().get("status").asText()).isEqualTo("CONFIRMED");
            assertThat(calls.call("GET", products.url("/api/v1/products/" + widgetId), admin, null).body().at("/stock/available").asLong())
                    .isEqualTo(10 - 3);
            assertThat(calls.call("GET", users.url("/api/v1/users/me/wallet"), admin, null).body().get("balanceCents").asLong())
                    .isEqualTo(100_000 - 3 * 1250);

            // product-svc dies: a clear 503 naming it, quickly, never a hang
            products.process().kill();
            Reply down = placeOrder(orders, admin, widgetId, 1);
            long start = System.nanoTime();
            while (down.status() != 503 && System.nanoTime() - start < Duration.ofSeconds(15).toNanos()) {
                down = placeOrder(orders, admin, widgetId, 1);
            }
            assertThat(down.status()).as(down.body().toString()).isEqualTo(503);
            assertThat(down.code()).isEqualTo("UPSTREAM_UNAVAILABLE");
            long took = timed(() -> placeOrder(orders, admin, widgetId, 1));
            assertThat(Duration.ofNanos(took)).as("a down dependency answers within the gRPC deadline").isLessThan(Duration.ofSeconds(10));

            // back on other ports: the registry tells the resolver, orders work again
            stack.startService("product-svc");
            Reply again = placeOrder(orders, admin, widgetId, 2);
            start = System.nanoTime();
            while (again.status() != 201 && System.nanoTime() - start < Duration.ofSeconds(30).toNanos()) {
                Thread.sleep(200);
                again = placeOrder(orders, admin, widgetId, 2);
            }
            assertThat(again.status()).as(again.body().toString()).isEqualTo(201);
            assertThat(again.body().get("totalCents").asLong()).isEqualTo(2500);
            assertThat(again.body().get("status").asText()).isEqualTo("CONFIRMED");

            // and another tenant sees none of it
            Reply other = calls.call("POST", users.url("/api/v1/tenants"), Map.of(),
                    Map.of("name", "Globex", "adminEmail", "admin@globex.test", "adminPassword", "correct horse battery"));
            Map<String, String> globex = Map.of("X-Tenant-ID", other.body().get("tenantId").asText(),
                    "X-User-ID", other.body().get("adminUserId").asText(), "X-User-Roles", "admin");
            assertThat(calls.call("GET", orders.url("/api/v1/orders/" + order.body().get("id").asText()), globex, null).status()).isEqualTo(404);
            assertThat(placeOrder(orders, globex, widgetId, 1).status()).as("Acme's product is unknown to Globex").isEqualTo(422);
        }
    }


    private Reply placeOrder(Running orders, Map<String, String> caller, String productId, int quantity) throws Exception {
        Map<String, String> headers = new java.util.HashMap<>(caller);
        headers.put("Idempotency-Key", UUID.randomUUID().toString());
        return calls.call("POST", orders.url("/api/v1/orders"), headers,
                Map.of("items", List.of(Map.of("productId", productId, "quantity", quantity))));
    }

    private interface Call {
        Reply run() throws Exception;
    }

    private static long timed(Call call) throws Exception {
        long start = System.nanoTime();
        call.run();
        return System.nanoTime() - start;
    }
}
