package dev.wizmesh.order;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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

/**
 * order-svc in process on a real PostgreSQL, pricing from a catalogue and placing orders through
 * stock and wallet participants, all over real loopback gRPC.
 */
class OrderServiceIT {
    static final TestCatalog CATALOG = new TestCatalog();
    static final TestParticipants PARTICIPANTS = new TestParticipants();
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
            // settled within the request unless a test makes a participant slower than this
            ConfigOverride.config("transactions.waitForOutcome", "5s"),
            ConfigOverride.config("transactions.attemptTimeout", "8s"),
            ConfigOverride.config("transactions.lease", "20s"),
            ConfigOverride.config("transactions.maxAttempts", "3"),
            ConfigOverride.config("transactions.compensationMaxAttempts", "3"),
            ConfigOverride.config("transactions.recoveryInterval", "500ms"),
            ConfigOverride.config("database.url", () -> POSTGRES.database().urlWithoutCredentials()),
            ConfigOverride.config("database.owner.user", () -> POSTGRES.database().username()),
            ConfigOverride.config("database.owner.password", () -> POSTGRES.database().password()));

    static final String ACME = UUID.randomUUID().toString();
    static final String GLOBEX = UUID.randomUUID().toString();
    static final String WIDGET = UUID.randomUUID().toString();
    static final String GADGET = UUID.randomUUID().toString();
    static final String DOLLAR_THING = UUID.randomUUID().toString();
    static final String GLOBEX_ONLY = UUID.randomUUID().toString();
    static final String SCARCE = UUID.randomUUID().toString();

    static {
        CATALOG.add(ACME, WIDGET, "Widget", 1250, "EUR");
        CATALOG.add(ACME, GADGET, "Gadget", 999, "EUR");
        CATALOG.add(ACME, DOLLAR_THING, "Dollar thing", 100, "USD");
        CATALOG.add(GLOBEX, GLOBEX_ONLY, "Globex widget", 1, "EUR");
        CATALOG.add(ACME, SCARCE, "Scarce thing", 500, "EUR");
        PARTICIPANTS.stock.put(ACME + "/" + SCARCE, new java.util.concurrent.atomic.AtomicInteger(1));
    }

    /** config/order-svc.yml with discovery's static list pointing product-svc at the test catalogue. */
    static String configWithStaticCatalog(int grpcPort) {
        try {
            String yaml = java.nio.file.Files.readString(Path.of("..", "config", "order-svc.yml"));
            String entry = "discovery:\n  static:\n    product-svc: [\"127.0.0.1:1?grpc=" + grpcPort + "\"]\n"
                    + "    user-svc: [\"127.0.0.1:1?grpc=" + grpcPort + "\"]\n";
            Path config = java.nio.file.Files.createTempFile("order-svc", ".yml");
            java.nio.file.Files.writeString(config, yaml.replaceFirst("(?m)^discovery:\n", java.util.regex.Matcher.quoteReplacement(entry)));
            return config.toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static GrpcServer startCatalog() {
        return startCatalog(CATALOG, PARTICIPANTS);
    }

    static GrpcServer startCatalog(TestCatalog catalog, TestParticipants participants) {
        try {
            List<io.grpc.BindableService> services = new ArrayList<>(participants.services());
            services.add(catalog);
            GrpcServer server = new GrpcServerFactory().build(OpenTelemetry.noop(), new PrometheusRegistry(), () -> true,
                    services.toArray(io.grpc.BindableService[]::new));
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
    void anOrderIsPricedByTheCatalogueAndConfirmedByItsSaga() {
        Caller buyer = buyer(ACME);
        int widgets = PARTICIPANTS.stockOf(ACME, WIDGET);
        int balance = PARTICIPANTS.balanceOf(ACME, buyer.userId());
        Reply r = place(buyer, "k-" + UUID.randomUUID(), items(WIDGET, 2, GADGET, 1));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        assertThat(r.body().get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(PARTICIPANTS.stockOf(ACME, WIDGET)).isEqualTo(widgets - 2);
        assertThat(PARTICIPANTS.balanceOf(ACME, buyer.userId())).isEqualTo(balance - 3499);
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
                // the winner's answer is 201; a racer may find the order while its saga still runs: 202
                assertThat(r.status()).as(r.body().toString()).isIn(201, 202);
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
    void anOrderSettledByItsTransactionCannotBeCancelled() {
        Caller buyer = buyer(ACME);
        Reply placed = place(buyer, "c", items(WIDGET, 1));
        assertThat(placed.status()).as(placed.body().toString()).isEqualTo(201);
        String id = placed.body().get("id").asText();
        Reply refused = api().post("/api/v1/orders/" + id + "/cancel", buyer, null);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("ORDER_NOT_CANCELLABLE");
        assertThat(api().get("/api/v1/orders/not-a-uuid", buyer).code()).isEqualTo("ORDER_NOT_FOUND");
    }

    static Map<String, Object> itemsIn(String mode, Object... idQty) {
        Map<String, Object> body = new java.util.HashMap<>(items(idQty));
        body.put("mode", mode);
        return body;
    }

    static void awaitStatus(Caller caller, String orderId, String status) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!api().get("/api/v1/orders/" + orderId, caller).body().get("status").asText().equals(status)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("order " + orderId + " not " + status + " within 30 s");
            }
            Thread.sleep(50);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"saga", "tcc"})
    void outOfStockCancelsTheOrderAndTakesNothing(String mode) {
        Caller buyer = buyer(ACME);
        int balance = PARTICIPANTS.balanceOf(ACME, buyer.userId());
        int widgets = PARTICIPANTS.stockOf(ACME, WIDGET);
        Reply r = place(buyer, "oos-" + mode, itemsIn(mode, WIDGET, 1, SCARCE, 2));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        assertThat(r.body().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(r.body().get("cancelReason").asText()).isEqualTo("OUT_OF_STOCK");
        assertThat(PARTICIPANTS.stockOf(ACME, WIDGET)).isEqualTo(widgets);
        assertThat(PARTICIPANTS.stockOf(ACME, SCARCE)).isEqualTo(1);
        assertThat(PARTICIPANTS.balanceOf(ACME, buyer.userId())).isEqualTo(balance);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"saga", "tcc"})
    void insufficientFundsCancelsTheOrderAndGivesTheStockBack(String mode) {
        Caller buyer = buyer(ACME);
        PARTICIPANTS.balances.put(ACME + "/" + buyer.userId(), new java.util.concurrent.atomic.AtomicInteger(1000));
        int gadgets = PARTICIPANTS.stockOf(ACME, GADGET);
        Reply r = place(buyer, "poor-" + mode, itemsIn(mode, GADGET, 2));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        assertThat(r.body().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(r.body().get("cancelReason").asText()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(PARTICIPANTS.stockOf(ACME, GADGET)).isEqualTo(gadgets);
        assertThat(PARTICIPANTS.balanceOf(ACME, buyer.userId())).isEqualTo(1000);

        Reply log = api().get("/api/v1/orders/" + r.body().get("id").asText() + "/transaction", buyer);
        assertThat(log.body().get("mode").asText()).isEqualTo(mode.toUpperCase());
        assertThat(log.body().get("state").asText()).isEqualTo("COMPENSATED");
        assertThat(log.body().get("failureCode").asText()).isEqualTo("INSUFFICIENT_FUNDS");
        List<String> steps = new ArrayList<>();
        log.body().get("steps").forEach(st -> steps.add(st.get("name").asText() + ":" + st.get("phase").asText() + ":" + st.get("state").asText()));
        assertThat(steps).containsExactly(mode.equals("saga")
                ? new String[] {"reserve-stock:ACTION:SUCCEEDED", "debit-wallet:ACTION:REJECTED",
                        "debit-wallet:COMPENSATION:SUCCEEDED", "reserve-stock:COMPENSATION:SUCCEEDED"}
                : new String[] {"stock:TRY:SUCCEEDED", "wallet:TRY:REJECTED", "wallet:CANCEL:SUCCEEDED", "stock:CANCEL:SUCCEEDED"});
    }

    @Test
    void tccConfirmsBothBranchesAndShowsItsLog() {
        Caller buyer = buyer(ACME);
        Reply r = place(buyer, "tcc-ok", itemsIn("tcc", WIDGET, 1));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        assertThat(r.body().get("status").asText()).isEqualTo("CONFIRMED");
        Reply log = api().get("/api/v1/orders/" + r.body().get("id").asText() + "/transaction", buyer);
        assertThat(log.status()).isEqualTo(200);
        List<String> steps = new ArrayList<>();
        log.body().get("steps").forEach(st -> {
            steps.add(st.get("name").asText() + ":" + st.get("phase").asText() + ":" + st.get("state").asText());
            assertThat(st.get("participant").asText()).isIn("product-svc", "user-svc");
            assertThat(st.get("attempts").asInt()).isEqualTo(1);
        });
        assertThat(steps).containsExactly("stock:TRY:SUCCEEDED", "wallet:TRY:SUCCEEDED", "stock:CONFIRM:SUCCEEDED",
                "wallet:CONFIRM:SUCCEEDED");
        // another buyer cannot read it
        assertThat(api().get("/api/v1/orders/" + r.body().get("id").asText() + "/transaction", buyer(ACME)).status()).isEqualTo(404);
        assertThat(place(buyer, "bad-mode", itemsIn("2pc", WIDGET, 1)).status()).isEqualTo(422);
    }

    @Test
    void aParticipantThatStaysDownCancelsTheOrderAsUnavailable() {
        Caller buyer = buyer(ACME);
        int widgets = PARTICIPANTS.stockOf(ACME, WIDGET);
        int before = PARTICIPANTS.walletCalls.get();
        PARTICIPANTS.paymentsDown = true;
        try {
            Reply r = place(buyer, "down", items(WIDGET, 1));
            assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
            assertThat(r.body().get("cancelReason").asText()).isEqualTo("PARTICIPANT_UNAVAILABLE");
            // 3 debit attempts, then the refund (a debit that failed may still have been applied)
            assertThat(PARTICIPANTS.walletCalls.get() - before).isEqualTo(4);
            assertThat(PARTICIPANTS.stockOf(ACME, WIDGET)).isEqualTo(widgets);
        } finally {
            PARTICIPANTS.paymentsDown = false;
        }
    }

    @Test
    void aSlowTransactionIsAnswered202AndSettlesInTheBackground() throws Exception {
        Caller buyer = buyer(ACME);
        PARTICIPANTS.stockDelayMillis = 6_000; // longer than transactions.waitForOutcome (5 s)
        try {
            Reply r = place(buyer, "slow", items(GADGET, 1));
            assertThat(r.status()).as(r.body().toString()).isEqualTo(202);
            assertThat(r.body().get("status").asText()).isEqualTo("PENDING");
            String id = r.body().get("id").asText();
            assertThat(r.header("Location")).endsWith("/api/v1/orders/" + id);
            PARTICIPANTS.stockDelayMillis = 0;
            awaitStatus(buyer, id, "CONFIRMED");
        } finally {
            PARTICIPANTS.stockDelayMillis = 0;
        }
    }

    @Test
    void aStuckCompensationIsListedForAdminsWhoRetryItOnceTheParticipantIsBack() throws Exception {
        Caller buyer = buyer(ACME);
        Caller admin = new Caller(ACME, UUID.randomUUID().toString(), "admin");
        PARTICIPANTS.balances.put(ACME + "/" + buyer.userId(), new java.util.concurrent.atomic.AtomicInteger(0));
        int widgets = PARTICIPANTS.stockOf(ACME, WIDGET);
        PARTICIPANTS.stockUndoDown = true;
        String txId;
        String orderId;
        try {
            Reply r = place(buyer, "stuck", items(WIDGET, 1));
            orderId = r.body().get("id").asText();
            assertThat(r.status()).as(r.body().toString()).isEqualTo(202); // the compensation could not get through
            Reply stuck = api().get("/api/v1/transactions?state=FAILED_NEEDS_ATTENTION", admin);
            assertThat(stuck.status()).isEqualTo(200);
            JsonNode mine = null;
            for (JsonNode t : stuck.body().get("transactions")) {
                if (t.get("businessKey").asText().equals(orderId)) {
                    mine = t;
                }
            }
            assertThat(mine).as("the stuck transaction is listed").isNotNull();
            txId = mine.get("id").asText();
            assertThat(mine.get("failureMessage").asText()).contains("reserve-stock");
            assertThat(api().get("/api/v1/transactions?state=FAILED_NEEDS_ATTENTION", buyer).status()).isEqualTo(403);
            assertThat(api().get("/api/v1/transactions?state=NOPE", admin).status()).isEqualTo(400);
        } finally {
            PARTICIPANTS.stockUndoDown = false;
        }
        Reply retried = api().post("/api/v1/transactions/" + txId + "/retry", admin, null);
        assertThat(retried.status()).as(retried.body().toString()).isEqualTo(200);
        awaitStatus(buyer, orderId, "CANCELLED");
        assertThat(PARTICIPANTS.stockOf(ACME, WIDGET)).isEqualTo(widgets);
        Reply again = api().post("/api/v1/transactions/" + txId + "/resolve", admin, null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("TRANSACTION_NOT_STUCK");
        assertThat(api().get("/api/v1/transactions/" + UUID.randomUUID(), admin).code()).isEqualTo("TRANSACTION_NOT_FOUND");
    }

    private static List<String> ids(Reply page) {
        List<String> ids = new ArrayList<>();
        page.body().get("items").forEach(o -> ids.add(o.get("id").asText()));
        return ids;
    }
}
