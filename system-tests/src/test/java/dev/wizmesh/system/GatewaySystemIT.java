package dev.wizmesh.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wizmesh.testing.PostgresExtension;
import dev.wizmesh.testing.ServiceProcesses;
import dev.wizmesh.testing.ServiceProcesses.Running;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The whole request path as separate processes: client → gateway (JWT verified against
 * user-svc's JWKS, found through the registry) → user-svc / product-svc / order-svc → gRPC →
 * PostgreSQL. Then three product-svc instances under steady GET load through the gateway, one
 * SIGKILLed mid-run: no GET fails (the safe retry and outlier ejection), and the count is printed.
 */
class GatewaySystemIT {
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    record Reply(int status, JsonNode body, HttpResponse<String> raw) {
        String code() {
            return body.path("error").path("code").asText();
        }
    }

    private Reply call(String method, URI url, Map<String, String> headers, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(20));
        headers.forEach(request::header);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body().isEmpty() ? json.nullNode() : json.readTree(response.body()), response);
    }

    @Test
    void theWholePathThroughTheGatewayAndAKilledInstanceCostsNoGet() throws Exception {
        try (ServiceProcesses stack = new ServiceProcesses(PostgresExtension.sharedServer())) {
            stack.startRegistry();
            stack.startService("user-svc");
            Running product = stack.startService("product-svc");
            stack.startService("order-svc");
            Running gateway = stack.startGateway(Map.of("RATE_LIMIT_BURST", "100000", "RATE_LIMIT_RATE", "100000"));

            // public routes: sign-up and login through the gateway
            Reply signup = call("POST", gateway.url("/api/v1/tenants"), Map.of(),
                    Map.of("name", "Acme", "adminEmail", "admin@acme.test", "adminPassword", "correct horse battery"));
            assertThat(signup.status()).as(signup.body().toString()).isEqualTo(201);
            String tenant = signup.body().get("tenantId").asText();
            Reply login = call("POST", gateway.url("/api/v1/auth/login"), Map.of(),
                    Map.of("tenantId", tenant, "email", "admin@acme.test", "password", "correct horse battery"));
            assertThat(login.status()).isEqualTo(200);
            Map<String, String> bearer = Map.of("Authorization", "Bearer " + login.body().get("accessToken").asText());

            // no token: 401 with the challenge; a forged tenant header changes nothing
            Reply anonymous = call("GET", gateway.url("/api/v1/users/me"), Map.of(), null);
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.raw().headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            Map<String, String> forged = new java.util.HashMap<>(bearer);
            forged.put("x-tenant_id", UUID.randomUUID().toString());
            forged.put("X-User-Roles", "admin,superuser");
            Reply me = call("GET", gateway.url("/api/v1/users/me"), forged, null);
            assertThat(me.status()).as(me.body().toString()).isEqualTo(200);
            assertThat(me.body().get("tenantId").asText()).isEqualTo(tenant);

            // a product and an order, all through the gateway
            Reply widget = call("POST", gateway.url("/api/v1/products"), bearer,
                    Map.of("sku", "WID-1", "name", "Widget", "priceCents", 1250, "currency", "EUR", "stock", 10));
            assertThat(widget.status()).as(widget.body().toString()).isEqualTo(201);
            String widgetId = widget.body().get("id").asText();
            Map<String, String> withKey = new java.util.HashMap<>(bearer);
            withKey.put("Idempotency-Key", "order-1");
            Reply order = call("POST", gateway.url("/api/v1/orders"), withKey,
                    Map.of("items", List.of(Map.of("productId", widgetId, "quantity", 2))));
            assertThat(order.status()).as(order.body().toString()).isEqualTo(201);
            assertThat(order.body().get("totalCents").asLong()).isEqualTo(2500);
            assertThat(order.raw().headers().firstValue("X-Request-ID")).isPresent();
            // the new order's Location names the gateway, never the order-svc instance behind it
            assertThat(order.raw().headers().firstValue("Location")).hasValue(
                    "http://127.0.0.1:" + gateway.httpPort() + "/api/v1/orders/" + order.body().get("id").asText());

            // three product-svc instances; steady GETs; one SIGKILLed mid-run
            stack.startService("product-svc");
            stack.startService("product-svc");
            Thread.sleep(1500); // the gateway's catalog sees the new instances (watch) and the balancer warms
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            ExecutorService load = Executors.newFixedThreadPool(4);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                workers.add(load.submit(() -> {
                    while (running.get()) {
                        try {
                            Reply r = call("GET", gateway.url("/api/v1/products/" + widgetId), bearer, null);
                            if (r.status() == 200) {
                                ok.incrementAndGet();
                            } else {
                                failed.incrementAndGet();
                                failures.add(r.status() + " " + r.code());
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                            failures.add(e.toString());
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(2000);
            product.process().kill();
            Thread.sleep(4000);
            running.set(false);
            for (Future<?> w : workers) {
                w.get();
            }
            load.shutdown();
            System.out.printf("GatewaySystemIT: %d GETs through the gateway while one of three product-svc "
                    + "instances was SIGKILLed; %d failed %s%n", ok.get() + failed.get(), failed.get(), failures);
            assertThat(ok.get()).isGreaterThan(100);
            assertThat(failed.get()).as("failed GETs: " + failures).isZero();
        }
    }
}
