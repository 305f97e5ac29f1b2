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

/** product-svc down: placing an order is a clear, quick 503; reading orders still works. */
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
}
