package dev.wizmesh.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wizmesh.testing.ServiceApi;
import dev.wizmesh.testing.ServiceApi.Caller;
import dev.wizmesh.testing.ServiceApi.Reply;
import dev.wizmesh.testing.FreePorts;
import dev.wizmesh.testing.PostgresExtension;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * product-svc and the broker down: placing an order is a clear, quick 503; an admin's message is a 503
 * MESSAGING_UNAVAILABLE; reading orders still works, and the health check {@code amqp} says why.
 */
class OrderServiceWithoutCatalogIT {
    @RegisterExtension
    @Order(1)
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @RegisterExtension
    @Order(2)
    static final DropwizardAppExtension<OrderConfiguration> APP = new DropwizardAppExtension<>(
            OrderApplication.class, OrderServiceIT.configWithStaticCatalog(FreePorts.next()),
            ConfigOverride.config("server.applicationConnectors[0].port", "0"),
            ConfigOverride.config("server.adminConnectors[0].port", "0"),
            ConfigOverride.config("discovery.mode", "static"),
            // nothing listens there: the app starts and serves all the same
            ConfigOverride.config("amqp.uri", "amqp://guest:guest@127.0.0.1:" + FreePorts.next() + "/%2F"),
            ConfigOverride.config("amqp.reconnectInterval", "250ms"),
            ConfigOverride.config("database.url", () -> POSTGRES.database().urlWithoutCredentials()),
            ConfigOverride.config("database.owner.user", () -> POSTGRES.database().username()),
            ConfigOverride.config("database.owner.password", () -> POSTGRES.database().password()));

    @Test
    void placingAnOrderIsA503NamingProductSvcAndNotAHang() {
        ServiceApi api = new ServiceApi(APP.getLocalPort());
        Caller buyer = new Caller(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "user");
        Reply r = api.send("POST", "/api/v1/orders", buyer,
                Map.of("items", List.of(Map.of("productId", UUID.randomUUID().toString(), "quantity", 1))),
                Map.of("Idempotency-Key", "k"));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(503);
        assertThat(r.code()).isEqualTo("UPSTREAM_UNAVAILABLE");
        assertThat(r.body().path("error").path("details").path("service").asText()).isEqualTo("product-svc");
        assertThat(api.get("/api/v1/orders", buyer).status()).isEqualTo(200);
    }

    @Test
    void publishingAMessageIsA503WhileTheBrokerIsUnreachableAndHealthSaysWhy() throws Exception {
        ServiceApi api = new ServiceApi(APP.getLocalPort());
        Caller admin = new Caller(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "admin");
        Reply r = api.post("/api/v1/messages", admin, Map.of("queue", "notifications", "message", Map.of("text", "hi")));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(503);
        assertThat(r.code()).isEqualTo("MESSAGING_UNAVAILABLE");
        assertThat(r.body().at("/error/message").asText()).contains("not connected to the AMQP broker")
                .doesNotContain("127.0.0.1"); // where the broker is stays in the log
        // the allow-list is checked first: a queue that is not allowed is a 403 whether or not the broker is up
        assertThat(api.post("/api/v1/messages", admin, Map.of("queue", "secrets", "message", "x")).code())
                .isEqualTo("QUEUE_NOT_ALLOWED");

        java.net.http.HttpResponse<String> health = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + APP.getAdminPort() + "/healthcheck")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(health.body()).contains("\"amqp\"").contains("reconnecting in the background");
        java.net.http.HttpResponse<String> ready = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + APP.getAdminPort()
                        + "/health-check?type=ready")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).as("the broker is not critical: still ready").isEqualTo(200);
    }
}
