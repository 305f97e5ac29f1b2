package dev.wizmesh.system;

import static dev.wizmesh.system.JsonCalls.with;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wizmesh.system.JsonCalls.Reply;
import dev.wizmesh.testing.PostgresExtension;
import dev.wizmesh.testing.PostgresServer;
import dev.wizmesh.testing.RestartableAmqpBroker;
import dev.wizmesh.testing.ServiceProcesses;
import dev.wizmesh.testing.ServiceProcesses.Running;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * Issue 8's fault test: order events reach product-svc's sales counter exactly once through a broker restart and a
 * consumer crash. 1,000 orders are placed by 16 clients, one every 40 ms as far as the stack keeps up (registry,
 * user-svc, product-svc, order-svc as processes; order-svc answers 202 for a saga not settled within 300 ms);
 * while they are being placed, the broker is stopped for 10 s and started again, and later (separately: the broker
 * is back and has caught up by then) product-svc is SIGKILLed and restarted on its ports. Afterwards, for every
 * product, {@code sold} (counted by product-svc from {@code order.confirmed}) equals the units in CONFIRMED orders:
 * an event lost would leave it short, one counted twice would leave it over. Also nothing left behind: no unsent
 * outbox row, nothing in the queue or its dead-letter queue, one inbox row per confirmed order.
 *
 * <p>The broker is this test's own, always embedded, also in CI's second pass where {@code WIZMESH_TEST_AMQP_URI}
 * points the other tests at the machine's RabbitMQ (nobody may stop that one): Qpid Broker-J with its virtual host
 * on Derby ({@link RestartableAmqpBroker#persistent()}), so the durable queues and the persistent messages in them,
 * delivered-but-unacked included, survive the stop as on a RabbitMQ node. The stop is an orderly shutdown of the
 * broker; connections drop without a close from the clients' side.
 *
 * <p>How it could fail: both faults make the broker deliver again what a consumer may already have counted
 * (product-svc killed after its commit and before its ack; connections dropped by the stop) and make the relay
 * publish again what the broker may already have (a confirm lost with the connection). Without the inbox
 * ({@code processed_messages}) those would be counted twice; without persistence (the in-memory broker) or the
 * outbox, events would be missing. The counts printed at the end show how many duplicates product-svc dropped.
 */
// it brings its own broker (one it can stop), so CI's second pass (.ci/run, the machine's servers) would run the same test again
@DisabledIfSystemProperty(named = "wizmesh.secondPass", matches = "true")
class MessagingFaultSystemIT {
    private static final int ORDERS = 1_000;
    private static final int CLIENTS = 16;
    /** One order every 40 ms (25 a second) as long as the stack keeps up: 1,000 orders in ~40 s. */
    private static final long PACE_MILLIS = 40;
    private static final String QUEUE = "product-svc.order-events";
    private final JsonCalls calls = new JsonCalls();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Random random = new Random(8);

    @Test
    void everyConfirmedOrderIsCountedOnceThroughABrokerRestartAndAConsumerCrash() throws Exception {
        PostgresServer postgres = PostgresExtension.sharedServer();
        long startedAt = System.nanoTime();
        try (RestartableAmqpBroker broker = RestartableAmqpBroker.persistent();
             ServiceProcesses stack = new ServiceProcesses(postgres)) {
            broker.start();
            Map<String, String> onBroker = Map.of(
                    "AMQP_URI", broker.info().uri().toString(),
                    "AMQP_RECONNECT_INTERVAL", "1s");
            stack.startRegistry();
            Running users = stack.startService("user-svc", onBroker);
            AtomicReference<Running> products = new AtomicReference<>(stack.startService("product-svc", onBroker));
            Map<String, String> orderEnv = new HashMap<>(onBroker);
            orderEnv.put("ORDER_SVC_TX_WAIT", "300ms");
            // a saga that reserved stock and then met product-svc down compensates until product-svc is back: on a
            // loaded machine its restart can take a minute, past the shipped ~1 min of compensation attempts, after
            // which the order would wait for an operator (PENDING) and this test could not settle it
            orderEnv.put("ORDER_SVC_TX_UNDO_ATTEMPTS", "60");
            orderEnv.put("ORDER_SVC_TX_UNDO_MAX_RETRY", "5m");
            Running orders = stack.startService("order-svc", orderEnv);
            // product-svc's queue must exist before the first order.confirmed is published (else: routed nowhere)
            awaitAmqpHealthy(products.get());
            awaitAmqpHealthy(orders);

            Shop shop = Shop.open(calls, users, products.get());

            // 1,000 orders from 16 clients, paced, each retrying under its Idempotency-Key until order-svc answers
            long startupMillis = (System.nanoTime() - startedAt) / 1_000_000;
            AtomicInteger answered = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<String>> placed = new ArrayList<>();
            long placingFrom = System.nanoTime();
            for (int n = 0; n < ORDERS; n++) {
                Map<String, String> buyer = shop.buyers().get(random.nextInt(shop.buyers().size()));
                List<String> shuffled = new ArrayList<>(shop.products());
                Collections.shuffle(shuffled, random);
                List<Map<String, Object>> items = new ArrayList<>();
                for (int k = 0; k <= random.nextInt(2); k++) {
                    items.add(Map.of("productId", shuffled.get(k), "quantity", 1 + random.nextInt(3)));
                }
                String key = "fault-" + n;
                long startAt = System.currentTimeMillis() + PACE_MILLIS * n;
                placed.add(clients.submit(() -> {
                    Thread.sleep(Math.max(0, startAt - System.currentTimeMillis()));
                    String id = placeUntilAnswered(orders, buyer, key, Map.of("mode", "saga", "items", items));
                    answered.incrementAndGet();
                    return id;
                }));
            }

            // fault 1: the broker goes away for 10 s while orders are being placed
            List<String> drill = new ArrayList<>();
            awaitAnswered(answered, 150);
            drill.add("broker stopped after " + answered.get() + " orders");
            broker.stop();
            Thread.sleep(10_000);
            broker.start();
            drill.add("broker started again after " + answered.get() + " orders");
            // fault 2, separately: product-svc SIGKILLed mid-stream once the broker's backlog is flowing again
            awaitAmqpHealthy(products.get());
            awaitAnswered(answered, Math.max(answered.get() + 150, 600));
            long duplicatesBeforeKill = metric(products.get(), "messaging_duplicates_total");
            products.get().process().kill();
            drill.add("product-svc SIGKILLed after " + answered.get() + " orders");
            products.set(stack.restart(products.get(), Map.of()));
            drill.add("product-svc back after " + answered.get() + " orders");
            assertThat(answered.get()).as("the faults happened while orders were being placed").isLessThan(ORDERS);

            List<String> ids = new ArrayList<>();
            for (Future<String> f : placed) {
                ids.add(f.get());
            }
            clients.shutdown();
            long placingMillis = (System.nanoTime() - placingFrom) / 1_000_000;

            // every order settles (a saga step that met product-svc down is retried or compensated)
            Map<String, JsonNode> settled = awaitSettled(orders, shop.admin(), ids, Duration.ofSeconds(90));
            Map<String, Long> unitsConfirmed = new TreeMap<>();
            Map<String, Integer> outcomes = new TreeMap<>();
            int confirmed = 0;
            for (JsonNode order : settled.values()) {
                String status = order.get("status").asText();
                outcomes.merge(status.equals("CANCELLED") ? "CANCELLED " + order.path("cancelReason").asText() : status,
                        1, Integer::sum);
                if (status.equals("CONFIRMED")) {
                    confirmed++;
                    order.get("items").forEach(i ->
                            unitsConfirmed.merge(i.get("productId").asText(), i.get("quantity").asLong(), Long::sum));
                }
            }
            assertThat(confirmed).as("orders confirmed").isGreaterThan(ORDERS / 2);

            // then the events drain: sold reaches the confirmed units, and stays there (a late duplicate would show)
            long settledMillis = (System.nanoTime() - placingFrom) / 1_000_000 - placingMillis;
            long drainFrom = System.nanoTime();
            Map<String, Long> sold = awaitSoldSettles(products.get(), shop, unitsConfirmed, Duration.ofSeconds(60));
            long unitsTotal = unitsConfirmed.values().stream().mapToLong(Long::longValue).sum();
            long soldTotal = sold.values().stream().mapToLong(Long::longValue).sum();

            long drainMillis = (System.nanoTime() - drainFrom) / 1_000_000;
            long unsent = count(postgres, stack.databaseOf("order-svc"), "SELECT count(*) FROM outbox WHERE sent_at IS NULL");
            long republished = count(postgres, stack.databaseOf("order-svc"), "SELECT count(*) FROM outbox WHERE attempts > 0");
            long confirmedEvents = count(postgres, stack.databaseOf("order-svc"),
                    "SELECT count(*) FROM outbox WHERE type = 'order.confirmed'");
            long inboxRows = count(postgres, stack.databaseOf("product-svc"),
                    "SELECT count(*) FROM processed_messages WHERE consumer = '" + QUEUE + "'");
            long duplicatesAfter = metric(products.get(), "messaging_duplicates_total");
            long queued = broker.messageCount(QUEUE);
            long deadLettered = broker.messageCount(QUEUE + ".dlq");

            System.out.printf("messaging fault test: stack up in %d ms; %d orders placed in %d ms, all settled %d ms later, "
                            + "sold stable %d ms after that: %s; %s; order.confirmed events in the outbox %d, "
                            + "publishes that failed at least once %d, unsent %d; product-svc: inbox rows %d, duplicates dropped "
                            + "%d before the kill + %d after, left in %s %d, dead-lettered %d; units in CONFIRMED orders %d, "
                            + "sum of sold %d%n",
                    startupMillis, ids.size(), placingMillis, settledMillis, drainMillis, outcomes, drill, confirmedEvents, republished, unsent, inboxRows,
                    duplicatesBeforeKill, duplicatesAfter, QUEUE, queued, deadLettered, unitsTotal, soldTotal);

            assertThat(sold).as("sold per product = units in CONFIRMED orders: none lost, none counted twice")
                    .isEqualTo(withZeros(unitsConfirmed, shop.products()));
            assertThat(soldTotal).isEqualTo(unitsTotal);
            assertThat(confirmedEvents).as("one order.confirmed per confirmed order").isEqualTo(confirmed);
            assertThat(inboxRows).as("product-svc processed each order.confirmed once").isEqualTo(confirmed);
            assertThat(unsent).as("outbox rows not yet published").isZero();
            assertThat(queued).as("messages left in " + QUEUE).isZero();
            assertThat(deadLettered).as("messages dead-lettered").isZero();
        }
    }

    /** The tenant, its buyers (who can pay for everything) and products (stock for everything). */
    record Shop(Map<String, String> admin, List<Map<String, String>> buyers, List<String> products) {
        static Shop open(JsonCalls calls, Running users, Running products) throws Exception {
            Reply tenant = calls.call("POST", users.url("/api/v1/tenants"), Map.of(), Map.of("name", "Messaging faults",
                    "adminEmail", "admin@faults.test", "adminPassword", "correct horse battery"));
            assertThat(tenant.status()).as(tenant.body().toString()).isEqualTo(201);
            String tenantId = tenant.body().get("tenantId").asText();
            Map<String, String> admin = Map.of("X-Tenant-ID", tenantId,
                    "X-User-ID", tenant.body().get("adminUserId").asText(), "X-User-Roles", "admin");
            List<Map<String, String>> buyers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Reply user = calls.call("POST", users.url("/api/v1/users"), admin,
                        Map.of("email", "buyer" + i + "@faults.test", "password", "correct horse battery"));
                assertThat(user.status()).as(user.body().toString()).isEqualTo(201);
                String id = user.body().get("id").asText();
                Reply credit = calls.call("POST", users.url("/api/v1/users/" + id + "/wallet/credits"),
                        with(admin, "Idempotency-Key", "credit-" + id), Map.of("amountCents", 1_000_000_000L));
                assertThat(credit.status()).as(credit.body().toString()).isEqualTo(201);
                buyers.add(Map.of("X-Tenant-ID", tenantId, "X-User-ID", id, "X-User-Roles", "user"));
            }
            List<String> catalogue = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Reply p = calls.call("POST", products.url("/api/v1/products"), admin, Map.of("sku", "MF-" + i,
                        "name", "Thing " + i, "priceCents", 100 + 50 * i, "currency", "EUR", "stock", 1_000_000));
                assertThat(p.status()).as(p.body().toString()).isEqualTo(201);
                catalogue.add(p.body().get("id").asText());
            }
            return new Shop(admin, buyers, catalogue);
        }
    }

    private String placeUntilAnswered(Running orders, Map<String, String> buyer, String key, Object body) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            try {
                Reply r = calls.call("POST", orders.url("/api/v1/orders"), with(buyer, "Idempotency-Key", key), body);
                if (r.status() == 201 || r.status() == 202) {
                    return r.body().get("id").asText();
                }
                assertThat(r.status()).as("order %s: %s", key, r.body()).isGreaterThanOrEqualTo(500);
            } catch (java.io.IOException timeout) {
                // try again under the same key
            }
            assertThat(System.nanoTime()).as("order %s never answered", key).isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    private static void awaitAnswered(AtomicInteger answered, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (answered.get() < Math.min(atLeast, ORDERS)) {
            assertThat(System.nanoTime()).as("%d orders answered", answered.get()).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private Map<String, JsonNode> awaitSettled(Running orders, Map<String, String> admin, List<String> ids, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, JsonNode> settled = new HashMap<>();
        while (settled.size() < ids.size()) {
            assertThat(System.nanoTime()).as("orders still PENDING: %d", ids.size() - settled.size()).isLessThan(deadline);
            for (String id : ids) {
                if (!settled.containsKey(id)) {
                    Reply order = calls.call("GET", orders.url("/api/v1/orders/" + id), admin, null);
                    if (order.status() == 200 && !order.body().get("status").asText().equals("PENDING")) {
                        settled.put(id, order.body());
                    }
                }
            }
            if (settled.size() < ids.size()) {
                Thread.sleep(500);
            }
        }
        return settled;
    }

    /**
     * Polls every product's {@code sold} until it equals the confirmed units and has not changed for 3 s (or the
     * timeout): returns the last reading, which the test compares.
     */
    private Map<String, Long> awaitSoldSettles(Running products, Shop shop, Map<String, Long> expected, Duration timeout)
            throws Exception {
        Map<String, Long> want = withZeros(expected, shop.products());
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Long> last = null;
        long sameSince = System.nanoTime();
        while (true) {
            Map<String, Long> now = new TreeMap<>();
            for (String id : shop.products()) {
                Reply p = calls.call("GET", products.url("/api/v1/products/" + id), shop.admin(), null);
                assertThat(p.status()).as(p.body().toString()).isEqualTo(200);
                now.put(id, p.body().get("sold").asLong());
            }
            if (!now.equals(last)) {
                last = now;
                sameSince = System.nanoTime();
            }
            boolean stable = System.nanoTime() - sameSince > Duration.ofSeconds(3).toNanos();
            if ((now.equals(want) && stable) || System.nanoTime() > deadline) {
                return now;
            }
            Thread.sleep(250);
        }
    }

    private static Map<String, Long> withZeros(Map<String, Long> units, List<String> products) {
        Map<String, Long> all = new TreeMap<>();
        products.forEach(p -> all.put(p, units.getOrDefault(p, 0L)));
        return all;
    }

    private void awaitAmqpHealthy(Running app) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        URI health = URI.create("http://127.0.0.1:" + app.adminPort() + "/healthcheck");
        while (true) {
            try {
                String body = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                if (new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("amqp").path("healthy").asBoolean()) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // starting
            }
            assertThat(System.nanoTime()).as("%s never connected to the broker", app.app()).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** A counter from the app's Prometheus scrape (0 when absent). */
    private long metric(Running app, String name) throws Exception {
        String scrape = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.adminPort()
                + "/metrics/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    /** A count read in SQL as the database's owner (the tables' row-level security is not in the way of a superuser). */
    private static long count(PostgresServer postgres, String database, String sql) throws Exception {
        try (Connection c = postgres.database(database).connection(); Statement s = c.createStatement()) {
            // FORCE ROW LEVEL SECURITY applies to the owner too; the relay's policies open the outbox, the inbox's
            // retention_read policy the processed rows, each for this transaction only
            c.setAutoCommit(false);
            s.execute("SELECT set_config('app.outbox_relay', 'on', true), set_config('app.inbox_retention', 'on', true)");
            try (ResultSet r = s.executeQuery(sql)) {
                r.next();
                long n = r.getLong(1);
                c.commit();
                return n;
            }
        }
    }
}
