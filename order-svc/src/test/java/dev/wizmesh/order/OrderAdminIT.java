package dev.wizmesh.order;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wizmesh.grpc.server.GrpcServer;
import dev.wizmesh.order.db.OrderDao;
import dev.wizmesh.persistence.Database;
import dev.wizmesh.testing.PostgresExtension;
import dev.wizmesh.testing.ServiceApi;
import dev.wizmesh.testing.ServiceApi.Caller;
import dev.wizmesh.testing.ServiceApi.Reply;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin jobs cron-svc calls, on a real PostgreSQL with the placement transactions over real loopback gRPC:
 * {@code POST /api/v1/orders/expire-pending} and {@code GET /api/v1/orders/sales}. Every test uses tenants of its
 * own, so the tenant-wide sweep and report see only what the test made.
 */
class OrderAdminIT {
    static final TestCatalog CATALOG = new TestCatalog();
    static final TestParticipants PARTICIPANTS = new TestParticipants();
    static final GrpcServer CATALOG_SERVER = OrderServiceIT.startCatalog(CATALOG, PARTICIPANTS);

    @RegisterExtension
    @Order(1)
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @RegisterExtension
    @Order(2)
    static final DropwizardAppExtension<OrderConfiguration> APP = new DropwizardAppExtension<>(
            OrderApplication.class, OrderServiceIT.configWithStaticCatalog(CATALOG_SERVER.port()),
            ConfigOverride.config("server.applicationConnectors[0].port", "0"),
            ConfigOverride.config("server.adminConnectors[0].port", "0"),
            ConfigOverride.config("discovery.mode", "static"),
            ConfigOverride.config("grpcClient.defaultDeadline", "15s"),
            // a slow participant leaves the order PENDING (202) with its transaction running
            ConfigOverride.config("transactions.waitForOutcome", "2s"),
            ConfigOverride.config("transactions.attemptTimeout", "20s"),
            ConfigOverride.config("transactions.lease", "30s"),
            ConfigOverride.config("transactions.recoveryInterval", "500ms"),
            ConfigOverride.config("database.url", () -> POSTGRES.database().urlWithoutCredentials()),
            ConfigOverride.config("database.owner.user", () -> POSTGRES.database().username()),
            ConfigOverride.config("database.owner.password", () -> POSTGRES.database().password()));

    static final String WIDGET = UUID.randomUUID().toString();
    static final String GADGET = UUID.randomUUID().toString();
    static final String DOLLAR_THING = UUID.randomUUID().toString();
    static final String SCARCE = UUID.randomUUID().toString();

    @AfterAll
    static void stopCatalog() {
        CATALOG_SERVER.close();
    }

    /** A tenant of the test's own with the catalogue's products. */
    static String tenant() {
        String tenant = UUID.randomUUID().toString();
        CATALOG.add(tenant, WIDGET, "Widget", 1250, "EUR");
        CATALOG.add(tenant, GADGET, "Gadget", 999, "EUR");
        CATALOG.add(tenant, DOLLAR_THING, "Dollar thing", 100, "USD");
        CATALOG.add(tenant, SCARCE, "Scarce thing", 500, "EUR");
        PARTICIPANTS.stock.put(tenant + "/" + SCARCE, new java.util.concurrent.atomic.AtomicInteger(0));
        return tenant;
    }

    static ServiceApi api() {
        return new ServiceApi(APP.getLocalPort());
    }

    static Caller admin(String tenant) {
        return new Caller(tenant, UUID.randomUUID().toString(), "admin");
    }

    static Caller buyer(String tenant) {
        return new Caller(tenant, UUID.randomUUID().toString(), "user");
    }

    static Database database() {
        return APP.<OrderApplication>getApplication().database();
    }

    static String place(Caller buyer, int expectedStatus, Object... idQty) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < idQty.length; i += 2) {
            items.add(Map.of("productId", idQty[i], "quantity", idQty[i + 1]));
        }
        Reply r = api().send("POST", "/api/v1/orders", buyer, Map.of("items", items), Map.of("Idempotency-Key", "k-" + UUID.randomUUID()));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(expectedStatus);
        return r.body().get("id").asText();
    }

    /** A PENDING order with no placement transaction at all, as a crash between two releases might leave one. */
    static UUID pendingWithoutTransaction(String tenant, String createdAgo) {
        UUID id = UUID.randomUUID();
        UUID tenantId = UUID.fromString(tenant);
        database().tenants().inTenant(tenantId, h -> {
            h.attach(OrderDao.class).insert(id, tenantId, UUID.randomUUID(), 1250, "EUR", "k-" + id, "hash");
            h.execute("INSERT INTO order_lines (order_id, line_no, tenant_id, product_id, name, quantity, unit_price_cents) "
                    + "VALUES (?, 1, ?, ?, 'Widget', 1, 1250)", id, tenantId, UUID.fromString(WIDGET));
            return h.execute("UPDATE orders SET created_at = now() - CAST(? AS interval), updated_at = now() - CAST(? AS interval) "
                    + "WHERE id = ?", createdAgo, createdAgo, id);
        });
        return id;
    }

    static void set(String tenant, String orderId, String column, String value) {
        database().tenants().inTenant(UUID.fromString(tenant), h -> h.execute(
                "UPDATE orders SET " + column + " = CAST(? AS timestamptz) WHERE id = ?", value, UUID.fromString(orderId)));
    }

    static String status(String tenant, Object orderId) {
        return database().tenants().inTenant(UUID.fromString(tenant), h -> h.createQuery(
                "SELECT status || ':' || COALESCE(status_reason, '') FROM orders WHERE id = CAST(? AS uuid)")
                .bind(0, orderId.toString()).mapTo(String.class).one());
    }

    /** The order's events in the outbox, by type, with their cancelReason ("order.cancelled:EXPIRED"). */
    static List<String> outbox(String tenant, Object orderId) {
        return database().tenants().inTenant(UUID.fromString(tenant), h -> h.createQuery(
                "SELECT type || ':' || COALESCE(payload->'data'->>'cancelReason', '') FROM outbox WHERE aggregate_id = ? ORDER BY seq")
                .bind(0, orderId.toString()).mapTo(String.class).list());
    }

    static Reply expire(Caller caller, String query) {
        return api().send("POST", "/api/v1/orders/expire-pending" + query, caller, null, Map.of());
    }

    @Test
    void oldPendingOrdersWithoutARunningTransactionAreExpiredAndAnnounced() {
        String acme = tenant();
        String globex = tenant();
        UUID old = pendingWithoutTransaction(acme, "2 hours");
        UUID older = pendingWithoutTransaction(acme, "3 days");
        UUID recent = pendingWithoutTransaction(acme, "5 minutes");
        UUID otherTenants = pendingWithoutTransaction(globex, "2 hours");
        String confirmed = place(buyer(acme), 201, WIDGET, 1);
        set(acme, confirmed, "created_at", Instant.now().minusSeconds(7200).toString());

        Reply r = expire(admin(acme), "?olderThanMinutes=60");
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        assertThat(r.body().get("expired").asInt()).isEqualTo(2);
        assertThat(r.body().get("stillSettling").asInt()).isZero();
        assertThat(r.body().get("olderThanMinutes").asInt()).isEqualTo(60);

        assertThat(status(acme, old)).isEqualTo("CANCELLED:EXPIRED");
        assertThat(status(acme, older)).isEqualTo("CANCELLED:EXPIRED");
        assertThat(outbox(acme, old)).containsExactly("order.cancelled:EXPIRED");
        assertThat(status(acme, recent)).isEqualTo("PENDING:");
        assertThat(outbox(acme, recent)).isEmpty();
        assertThat(status(acme, confirmed)).startsWith("CONFIRMED");
        assertThat(outbox(acme, confirmed)).containsExactly("order.created:", "order.confirmed:");
        assertThat(status(globex, otherTenants)).as("another tenant's order").isEqualTo("PENDING:");
        // the API shows it as any cancelled order
        Reply shown = api().get("/api/v1/orders/" + old, admin(acme));
        assertThat(shown.body().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(shown.body().get("cancelReason").asText()).isEqualTo("EXPIRED");

        // a repeat (a retried cron run) finds nothing more and announces nothing twice
        Reply again = api().send("POST", "/api/v1/orders/expire-pending?olderThanMinutes=60", admin(acme), null,
                Map.of("Idempotency-Key", "expire-run-1"));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("expired").asInt()).isZero();
        assertThat(outbox(acme, old)).containsExactly("order.cancelled:EXPIRED");

        // the default is 30 minutes: the 5-minute-old order stays; 1 minute takes it
        assertThat(expire(admin(acme), "").body().get("olderThanMinutes").asInt()).isEqualTo(30);
        assertThat(status(acme, recent)).isEqualTo("PENDING:");
        assertThat(expire(admin(acme), "?olderThanMinutes=1").body().get("expired").asInt()).isEqualTo(1);
        assertThat(status(acme, recent)).isEqualTo("CANCELLED:EXPIRED");
    }

    @Test
    void anOrderWhoseTransactionStillRunsIsLeftToIt() throws Exception {
        String acme = tenant();
        Caller buyer = buyer(acme);
        PARTICIPANTS.stockDelayMillis = 6_000; // longer than transactions.waitForOutcome (2 s)
        String settling;
        try {
            settling = place(buyer, 202, GADGET, 1);
        } finally {
            PARTICIPANTS.stockDelayMillis = 0; // later calls are quick; the one under way still sleeps
        }
        set(acme, settling, "created_at", Instant.now().minusSeconds(7200).toString());
        UUID abandoned = pendingWithoutTransaction(acme, "2 hours");

        Reply r = expire(admin(acme), "?olderThanMinutes=60");
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        assertThat(r.body().get("expired").asInt()).isEqualTo(1);
        assertThat(r.body().get("stillSettling").asInt()).isEqualTo(1);
        assertThat(status(acme, abandoned)).isEqualTo("CANCELLED:EXPIRED");
        assertThat(status(acme, settling)).isEqualTo("PENDING:");

        // its transaction settles it as usual: confirmed, stock and money taken, announced once
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!status(acme, settling).startsWith("CONFIRMED") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(status(acme, settling)).startsWith("CONFIRMED");
        assertThat(outbox(acme, settling)).containsExactly("order.created:", "order.confirmed:");
    }

    @Test
    void onlyAdminsExpireAndABadAgeIsA400() {
        String acme = tenant();
        UUID old = pendingWithoutTransaction(acme, "2 hours");
        assertThat(expire(buyer(acme), "?olderThanMinutes=60").status()).isEqualTo(403);
        assertThat(expire(new Caller(null, null, null), "?olderThanMinutes=60").status()).isEqualTo(401);
        for (String bad : new String[] {"0", "10081", "-5", "abc", "1.5", ""}) {
            Reply r = expire(admin(acme), "?olderThanMinutes=" + bad);
            assertThat(r.status()).as(bad + ": " + r.body()).isEqualTo(400);
            assertThat(r.code()).isEqualTo("BAD_REQUEST");
            assertThat(r.body().path("error").path("message").asText()).contains("olderThanMinutes must be a whole number from 1 to 10080");
        }
        Reply longKey = api().send("POST", "/api/v1/orders/expire-pending", admin(acme), null, Map.of("Idempotency-Key", "k".repeat(201)));
        assertThat(longKey.status()).isEqualTo(400);
        assertThat(status(acme, old)).as("nothing refused changed anything").isEqualTo("PENDING:");
        assertThat(expire(admin(acme), "?olderThanMinutes=10080").status()).isEqualTo(200);
    }

    @Test
    void salesCountTheConfirmedOrdersOfTheDayOfTheCallersTenant() {
        String acme = tenant();
        String globex = tenant();
        String big = place(buyer(acme), 201, WIDGET, 2, GADGET, 1);       // 3 units, 3499
        String small = place(buyer(acme), 201, WIDGET, 1);                // 1 unit, 1250
        String nextDay = place(buyer(acme), 201, GADGET, 5);
        String dayBefore = place(buyer(acme), 201, GADGET, 7);
        String cancelled = place(buyer(acme), 201, SCARCE, 1);            // out of stock: CANCELLED
        UUID pending = pendingWithoutTransaction(acme, "1 minute");
        String globexOrder = place(buyer(globex), 201, WIDGET, 4);
        set(acme, big, "updated_at", "2026-11-23T00:00:00Z");
        set(acme, small, "updated_at", "2026-11-23T23:59:59.999Z");
        set(acme, nextDay, "updated_at", "2026-11-24T00:00:00Z");
        set(acme, dayBefore, "updated_at", "2026-11-22T23:59:59.999Z");
        set(acme, cancelled, "updated_at", "2026-11-23T12:00:00Z");
        set(acme, pending.toString(), "updated_at", "2026-11-23T12:00:00Z");
        set(globex, globexOrder, "updated_at", "2026-11-23T12:00:00Z");
        assertThat(status(acme, cancelled)).startsWith("CANCELLED");

        Reply r = api().get("/api/v1/orders/sales?date=2026-11-23", admin(acme));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        JsonNode sales = r.body();
        assertThat(sales.get("date").asText()).isEqualTo("2026-11-23");
        assertThat(sales.get("orders").asLong()).isEqualTo(2);
        assertThat(sales.get("units").asLong()).isEqualTo(4);
        assertThat(sales.get("amountMinor").asLong()).isEqualTo(2 * 1250 + 999 + 1250);
        assertThat(sales.get("currency").asText()).isEqualTo("EUR");
        assertThat(sales.get("totals")).hasSize(1);

        JsonNode theirs = api().get("/api/v1/orders/sales?date=2026-11-23", admin(globex)).body();
        assertThat(theirs.get("orders").asLong()).isEqualTo(1);
        assertThat(theirs.get("units").asLong()).isEqualTo(4);
        assertThat(theirs.get("amountMinor").asLong()).isEqualTo(5000);

        JsonNode empty = api().get("/api/v1/orders/sales?date=2026-11-21", admin(acme)).body();
        assertThat(empty.get("orders").asLong()).isZero();
        assertThat(empty.get("amountMinor").asLong()).isZero();
        assertThat(empty.get("currency").isNull()).isTrue();
        assertThat(empty.get("totals")).isEmpty();

        // a day with two currencies: counts add up, amounts do not
        String dollars = place(buyer(acme), 201, DOLLAR_THING, 3);
        set(acme, dollars, "updated_at", "2026-11-22T08:00:00Z");
        JsonNode mixed = api().get("/api/v1/orders/sales?date=2026-11-22", admin(acme)).body();
        assertThat(mixed.get("orders").asLong()).isEqualTo(2);
        assertThat(mixed.get("units").asLong()).isEqualTo(10);
        assertThat(mixed.get("amountMinor").isNull()).isTrue();
        assertThat(mixed.get("currency").isNull()).isTrue();
        assertThat(mixed.get("totals").findValuesAsText("currency")).containsExactly("EUR", "USD");
        assertThat(mixed.get("totals").get(0).get("amountMinor").asLong()).isEqualTo(7 * 999);
        assertThat(mixed.get("totals").get(1).get("amountMinor").asLong()).isEqualTo(300);
    }

    @Test
    void salesNeedsAnAdminAndADay() {
        String acme = tenant();
        assertThat(api().get("/api/v1/orders/sales?date=2026-11-23", buyer(acme)).status()).isEqualTo(403);
        for (String bad : new String[] {"", "?date=", "?date=yesterday", "?date=2026-13-01", "?date=2026-02-30", "?date=2026-1-5",
                "?date=2026-11-23T00:00:00Z"}) {
            Reply r = api().get("/api/v1/orders/sales" + bad, admin(acme));
            assertThat(r.status()).as(bad + ": " + r.body()).isEqualTo(400);
            assertThat(r.code()).isEqualTo("BAD_REQUEST");
            assertThat(r.body().path("error").path("message").asText()).contains("date");
        }
        // "sales" is not taken for an order id, nor is an order id taken for "sales"
        String id = place(buyer(acme), 201, WIDGET, 1);
        assertThat(api().get("/api/v1/orders/" + id, admin(acme)).body().get("id").asText()).isEqualTo(id);
    }

    @Test
    void theOutboxCleanupTaskSweepsTheOutboxOnTheAdminPort() throws Exception {
        String acme = tenant();
        String order = place(buyer(acme), 201, WIDGET, 1);
        // the broker is not configured here: the order's events are unsent; mark one sent two hours ago (younger than
        // the relay's own retention, a day, so the relay's periodic delete leaves it to the task)
        database().tenants().inTenant(UUID.fromString(acme), h -> h.execute(
                "UPDATE outbox SET sent_at = now() - interval '2 hours' WHERE aggregate_id = ? AND type = 'order.created'", order));

        java.net.http.HttpResponse<String> r = task("/tasks/outbox-cleanup?olderThan=PT1H");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode counts = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
        assertThat(counts.get("outboxDeleted").asLong()).isEqualTo(1);
        assertThat(counts.get("processedDeleted").isNull()).as("order-svc has no inbox").isTrue();
        assertThat(outbox(acme, order)).containsExactly("order.confirmed:");

        java.net.http.HttpResponse<String> bad = task("/tasks/outbox-cleanup?olderThan=a-while");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"code\":\"BAD_REQUEST\"", "olderThan must be a duration");
    }

    static java.net.http.HttpResponse<String> task(String path) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + APP.getAdminPort() + path))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }
}
