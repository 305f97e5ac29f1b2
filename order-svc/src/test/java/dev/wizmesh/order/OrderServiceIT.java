package dev.wizmesh.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wizmesh.grpc.server.GrpcServer;
import dev.wizmesh.grpc.server.GrpcServerFactory;
import dev.wizmesh.testing.ServiceApi;
import dev.wizmesh.testing.ServiceApi.Caller;
import dev.wizmesh.testing.ServiceApi.Reply;
import dev.wizmesh.testing.PostgresExtension;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.opentelemetry.api.OpenTelemetry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** order-svc in process on a real PostgreSQL, pricing from a catalogue over real loopback gRPC. */
class OrderServiceIT {
    static final TestCatalog CATALOG = new TestCatalog();
    static final GrpcServer CATALOG_SERVER = startCatalog();

    @RegisterExtension
    @Order(1)
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @RegisterExtension
    @Order(2)
    static final DropwizardAppExtension<OrderConfiguration> APP = new DropwizardAppExtension<>(
            OrderApplication.class, configWithStaticCatalog(CATALOG_SERVER.port()),
            ConfigOverride.config("server.applicationConnectors[0].port", "0"),
            ConfigOverride.config("server.adminConnectors[0].port", "0"),
            ConfigOverride.config("discovery.mode", "static"),
            ConfigOverride.config("grpcClient.defaultDeadline", "15s"), // a loaded CI machine must not turn into timeouts
            ConfigOverride.config("database.url", () -> POSTGRES.database().urlWithoutCredentials()),
            ConfigOverride.config("database.owner.user", () -> POSTGRES.database().username()),
            ConfigOverride.config("database.owner.password", () -> POSTGRES.database().password()));

    static final String ACME = UUID.randomUUID().toString();
    static final String GLOBEX = UUID.randomUUID().toString();
    static final String WIDGET = UUID.randomUUID().toString();
    static final String GADGET = UUID.randomUUID().toString();
    static final String DOLLAR_THING = UUID.randomUUID().toString();
    static final String GLOBEX_ONLY = UUID.randomUUID().toString();

    static {
        CATALOG.add(ACME, WIDGET, "Widget", 1250, "EUR");
        CATALOG.add(ACME, GADGET, "Gadget", 999, "EUR");
        CATALOG.add(ACME, DOLLAR_THING, "Dollar thing", 100, "USD");
        CATALOG.add(GLOBEX, GLOBEX_ONLY, "Globex widget", 1, "EUR");
    }

    /** config/order-svc.yml with discovery's static list pointing product-svc at the test catalogue. */
    static String configWithStaticCatalog(int grpcPort) {
        try {
            String yaml = java.nio.file.Files.readString(Path.of("..", "config", "order-svc.yml"));
            String entry = "discovery:\n  static:\n    product-svc: [\"127.0.0.1:1?grpc=" + grpcPort + "\"]\n";
            Path config = java.nio.file.Files.createTempFile("order-svc", ".yml");
            java.nio.file.Files.writeString(config, yaml.replaceFirst("(?m)^discovery:\n", java.util.regex.Matcher.quoteReplacement(entry)));
            return config.toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static GrpcServer startCatalog() {
        try {
            GrpcServer server = new GrpcServerFactory().build(OpenTelemetry.noop(), new PrometheusRegistry(), () -> true, CATALOG);
            server.start();
            return server;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopCatalog() {
        CATALOG_SERVER.close();
    }

    static ServiceApi api() {
        return new ServiceApi(APP.getLocalPort());
    }

    static Caller buyer(String tenant) {
        return new Caller(tenant, UUID.randomUUID().toString(), "user");
    }

    static Reply place(Caller caller, String key, Object body) {
        Map<String, String> headers = key == null ? Map.of() : Map.of("Idempotency-Key", key);
        return api().send("POST", "/api/v1/orders", caller, body, headers);
    }

    static Map<String, Object> items(Object... idQty) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < idQty.length; i += 2) {
            items.add(Map.of("productId", idQty[i], "quantity", idQty[i + 1]));
        }
        return Map.of("items", items);
    }

    @Test
    void anOrderIsPricedByTheCatalogueAndStoredPending() {
        Caller buyer = buyer(ACME);
        Reply r = place(buyer, "k-" + UUID.randomUUID(), items(WIDGET, 2, GADGET, 1));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        assertThat(r.body().get("status").asText()).isEqualTo("PENDING");
        assertThat(r.body().get("totalCents").asLong()).isEqualTo(2 * 1250 + 999);
        assertThat(r.body().get("currency").asText()).isEqualTo("EUR");
        assertThat(r.body().get("items").get(0).get("name").asText()).isEqualTo("Widget");
        assertThat(r.body().get("items").get(0).get("unitPriceCents").asLong()).isEqualTo(1250);
        assertThat(r.body().get("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        String id = r.body().get("id").asText();
        assertThat(r.header("Location")).endsWith("/api/v1/orders/" + id);
        assertThat(api().get("/api/v1/orders/" + id, buyer).body().get("totalCents").asLong()).isEqualTo(3499);
    }

    @Test
    void theSameKeyAndBodyIsTheSameOrderAndADifferentBodyIsA409() {
        Caller buyer = buyer(ACME);
        String key = "k-" + UUID.randomUUID();
        Reply first = place(buyer, key, items(WIDGET, 1));
        int callsBefore = CATALOG.calls.get();
        Reply again = place(buyer, key, items(WIDGET, 1));
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.body().get("id")).isEqualTo(first.body().get("id"));
        assertThat(CATALOG.calls.get()).as("a replay does not call product-svc again").isEqualTo(callsBefore);
        Reply different = place(buyer, key, items(WIDGET, 2));
        assertThat(different.status()).isEqualTo(409);
        assertThat(different.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        // keys belong to a buyer: another buyer's identical key is a new order
        Reply other = place(buyer(ACME), key, items(WIDGET, 1));
        assertThat(other.status()).isEqualTo(201);
        assertThat(other.body().get("id")).isNotEqualTo(first.body().get("id"));
        assertThat(place(buyer, null, items(WIDGET, 1)).code()).isEqualTo("IDEMPOTENCY_KEY_REQUIRED");
    }

    @Test
    void concurrentRetriesWithOneKeyPlaceOneOrder() throws Exception {
        Caller buyer = buyer(ACME);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                replies.add(pool.submit(() -> place(buyer, "race", items(GADGET, 3))));
            }
            Set<String> ids = new HashSet<>();
            for (Future<Reply> f : replies) {
                Reply r = f.get();
                assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
                ids.add(r.body().get("id").asText());
            }
            assertThat(ids).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(api().get("/api/v1/orders", buyer).body().get("items")).hasSize(1);
    }

    @Test
    void badBodiesAre422NamingTheFields() {
        Caller buyer = buyer(ACME);
        assertThat(place(buyer, "b1", Map.of("items", List.of())).status()).isEqualTo(422);
        Reply bad = place(buyer, "b2", items("not-a-uuid", 0));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body().path("error").path("details").path("fields").findValuesAsText("field"))
                .containsExactly("items[0].productId", "items[0].quantity");
        Reply twice = place(buyer, "b3", items(WIDGET, 1, WIDGET, 2));
        assertThat(twice.body().path("error").path("details").path("fields").findValuesAsText("field")).containsExactly("items[1].productId");
        Reply unknown = place(buyer, "b4", items(WIDGET, 1, UUID.randomUUID().toString(), 1));
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.body().path("error").path("details").path("fields").findValuesAsText("field")).containsExactly("items[1].productId");
        // another tenant's product is as unknown as a made-up one
        assertThat(place(buyer, "b5", items(GLOBEX_ONLY, 1)).status()).isEqualTo(422);
        Reply mixed = place(buyer, "b6", items(WIDGET, 1, DOLLAR_THING, 1));
        assertThat(mixed.status()).isEqualTo(422);
        assertThat(mixed.code()).isEqualTo("MIXED_CURRENCIES");
        assertThat(place(buyer, "b7", "{\"items\":[{\"productId\":\"" + WIDGET + "\",\"quantity\":1,\"price\":1}]}").code())
                .isEqualTo("MALFORMED_JSON");
        assertThat(place(new Caller(null, null, null), "b8", items(WIDGET, 1)).status()).isEqualTo(401);
    }

    @Test
    void buyersSeeTheirOwnOrdersAdminsTheTenantsAndOtherTenantsNothing() {
        Caller alice = buyer(ACME);
        Caller bob = buyer(ACME);
        Caller admin = new Caller(ACME, UUID.randomUUID().toString(), "admin");
        Reply a = place(alice, "a", items(WIDGET, 1));
        Reply b = place(bob, "b", items(GADGET, 1));
        assertThat(a.status()).as(a.body().toString()).isEqualTo(201);
        assertThat(b.status()).as(b.body().toString()).isEqualTo(201);
        String aliceOrder = a.body().get("id").asText();
        String bobOrder = b.body().get("id").asText();

        assertThat(ids(api().get("/api/v1/orders?limit=100", alice))).containsExactly(aliceOrder);
        assertThat(api().get("/api/v1/orders/" + bobOrder, alice).code()).isEqualTo("ORDER_NOT_FOUND");
        assertThat(ids(api().get("/api/v1/orders?limit=100", admin))).contains(aliceOrder, bobOrder);
        assertThat(api().get("/api/v1/orders/" + bobOrder, admin).status()).isEqualTo(200);

        Caller globexAdmin = new Caller(GLOBEX, UUID.randomUUID().toString(), "admin");
        assertThat(api().get("/api/v1/orders/" + aliceOrder, globexAdmin).status()).isEqualTo(404);
        assertThat(api().post("/api/v1/orders/" + aliceOrder + "/cancel", globexAdmin, null).status()).isEqualTo(404);
        assertThat(ids(api().get("/api/v1/orders?limit=100", globexAdmin))).doesNotContain(aliceOrder, bobOrder);
        // the same user id presented under another tenant sees nothing either
        assertThat(api().get("/api/v1/orders/" + aliceOrder, new Caller(GLOBEX, alice.userId(), "user")).status()).isEqualTo(404);

        // RLS underneath: an unscoped SELECT in Globex's transaction returns none of Acme's rows
        List<String> visible = APP.<OrderApplication>getApplication().database().tenants()
                .inTenant(UUID.fromString(GLOBEX), h -> h.createQuery("SELECT id::text FROM orders").mapTo(String.class).list());
        assertThat(visible).doesNotContain(aliceOrder, bobOrder);
    }

    @Test
    void onlyAPendingOrderCanBeCancelled() {
        Caller buyer = buyer(ACME);
        Reply placed = place(buyer, "c", items(WIDGET, 1));
        assertThat(placed.status()).as(placed.body().toString()).isEqualTo(201);
        String id = placed.body().get("id").asText();
        Reply cancelled = api().post("/api/v1/orders/" + id + "/cancel", buyer, null);
        assertThat(cancelled.status()).as(cancelled.body().toString()).isEqualTo(200);
        assertThat(cancelled.body().get("status").asText()).isEqualTo("CANCELLED");
        Reply again = api().post("/api/v1/orders/" + id + "/cancel", buyer, null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("ORDER_NOT_CANCELLABLE");
        assertThat(api().get("/api/v1/orders/not-a-uuid", buyer).code()).isEqualTo("ORDER_NOT_FOUND");
    }

    private static List<String> ids(Reply page) {
        List<String> ids = new ArrayList<>();
        page.body().get("items").forEach(o -> ids.add(o.get("id").asText()));
        return ids;
    }
}
