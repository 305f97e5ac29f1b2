package dev.wizmesh.order;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import dev.wizmesh.grpc.server.GrpcServer;
import dev.wizmesh.testing.AmqpExtension;
import dev.wizmesh.testing.PostgresExtension;
import dev.wizmesh.testing.ServiceApi;
import dev.wizmesh.testing.ServiceApi.Caller;
import dev.wizmesh.testing.ServiceApi.Reply;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * order-svc with a real broker (the embedded Qpid, or WIZMESH_TEST_AMQP_URI): its order events leave through the
 * outbox and arrive on {@code wizmesh.events} in order, and an admin's {@code POST /api/v1/messages} lands in the
 * queue it named, confirmed.
 */
class OrderMessagingIT {
    static final TestCatalog CATALOG = new TestCatalog();
    static final TestParticipants PARTICIPANTS = new TestParticipants();
    static final GrpcServer CATALOG_SERVER = OrderServiceIT.startCatalog(CATALOG, PARTICIPANTS);
    /** A queue of this run's own: the shared broker may be a long-lived RabbitMQ. */
    static final String QUEUE = "order-svc-it.notifications." + UUID.randomUUID();

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
            ConfigOverride.config("transactions.waitForOutcome", "5s"),
            ConfigOverride.config("transactions.attemptTimeout", "8s"),
            ConfigOverride.config("transactions.lease", "20s"),
            ConfigOverride.config("amqp.uri", () -> AmqpExtension.sharedBroker().uri().toString()),
            ConfigOverride.config("amqp.reconnectInterval", "250ms"),
            ConfigOverride.config("messages.queues[0]", QUEUE),
            ConfigOverride.config("database.url", () -> POSTGRES.database().urlWithoutCredentials()),
            ConfigOverride.config("database.owner.user", () -> POSTGRES.database().username()),
            ConfigOverride.config("database.owner.password", () -> POSTGRES.database().password()));

    static final String ACME = UUID.randomUUID().toString();
    static final String WIDGET = UUID.randomUUID().toString();
    static final String SCARCE = UUID.randomUUID().toString();

    static {
        CATALOG.add(ACME, WIDGET, "Widget", 1250, "EUR");
        CATALOG.add(ACME, SCARCE, "Scarce thing", 500, "EUR");
        PARTICIPANTS.stock.put(ACME + "/" + SCARCE, new AtomicInteger(1));
    }

    static EventTap tap;

    @BeforeAll
    static void tapTheEvents() throws Exception {
        tap = new EventTap(AmqpExtension.sharedBroker().uri(), "order.*");
        OrderApplication app = APP.getApplication();
        poll("order-svc connected to the broker", Duration.ofSeconds(60), () -> app.amqp().isConnected());
    }

    @AfterAll
    static void stop() throws Exception {
        if (tap != null) {
            tap.close();
        }
        CATALOG_SERVER.close();
    }

    static ServiceApi api() {
        return new ServiceApi(APP.getLocalPort());
    }

    @Test
    void aPlacedOrderIsAnnouncedCreatedThenConfirmedWithItsLines() throws Exception {
        Caller buyer = new Caller(ACME, UUID.randomUUID().toString(), "user");
        Reply r = api().send("POST", "/api/v1/orders", buyer,
                Map.of("items", List.of(Map.of("productId", WIDGET, "quantity", 2))), Map.of("Idempotency-Key", "k-1"));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        assertThat(r.body().get("status").asText()).isEqualTo("CONFIRMED");
        String orderId = r.body().get("id").asText();

        // the order and its events were committed with it: both rows are in the outbox, the aggregate is the order
        assertThat(outboxTypes(orderId)).containsExactly("order.created", "order.confirmed");

        poll("order.created and order.confirmed on the broker", Duration.ofSeconds(60), () -> tap.about(orderId).size() >= 2);
        List<EventTap.Seen> seen = tap.about(orderId);
        assertThat(seen).extracting(EventTap.Seen::routingKey).containsExactly("order.created", "order.confirmed");
        JsonNode created = seen.get(0).envelope();
        assertThat(created.get("type").asText()).isEqualTo("order.created");
        assertThat(created.get("tenantId").asText()).isEqualTo(ACME);
        assertThat(seen.get(0).messageId()).isEqualTo(created.get("id").asText());
        assertThat(created.at("/data/status").asText()).isEqualTo("PENDING");
        assertThat(created.at("/data/userId").asText()).isEqualTo(buyer.userId());
        assertThat(created.at("/data/totalCents").asLong()).isEqualTo(2500);
        assertThat(created.at("/data/currency").asText()).isEqualTo("EUR");
        assertThat(created.at("/data/lines/0/productId").asText()).isEqualTo(WIDGET);
        assertThat(created.at("/data/lines/0/quantity").asInt()).isEqualTo(2);
        assertThat(created.at("/data/lines/0/unitPriceCents").asLong()).isEqualTo(1250);
        JsonNode confirmed = seen.get(1).envelope();
        assertThat(confirmed.at("/data/status").asText()).isEqualTo("CONFIRMED");
        assertThat(confirmed.at("/data/lines/0/quantity").asInt()).isEqualTo(2);
        poll("the outbox rows marked sent", Duration.ofSeconds(30), () -> unsent(orderId) == 0);

        // a refused cancel changes nothing, so announces nothing
        assertThat(api().post("/api/v1/orders/" + orderId + "/cancel", buyer, null).status()).isEqualTo(409);
        assertThat(outboxTypes(orderId)).containsExactly("order.created", "order.confirmed");
    }

    @Test
    void anOrderItsSagaCancelsIsAnnouncedCancelledWithTheReason() throws Exception {
        Caller buyer = new Caller(ACME, UUID.randomUUID().toString(), "user");
        Reply r = api().send("POST", "/api/v1/orders", buyer,
                Map.of("items", List.of(Map.of("productId", SCARCE, "quantity", 2))), Map.of("Idempotency-Key", "k-2"));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        assertThat(r.body().get("status").asText()).isEqualTo("CANCELLED");
        String orderId = r.body().get("id").asText();
        poll("order.created and order.cancelled on the broker", Duration.ofSeconds(60), () -> tap.about(orderId).size() >= 2);
        List<EventTap.Seen> seen = tap.about(orderId);
        assertThat(seen).extracting(EventTap.Seen::routingKey).containsExactly("order.created", "order.cancelled");
        assertThat(seen.get(1).envelope().at("/data/status").asText()).isEqualTo("CANCELLED");
        assertThat(seen.get(1).envelope().at("/data/cancelReason").asText()).isEqualTo("OUT_OF_STOCK");
    }

    @Test
    void anAdminPublishesToAnAllowedQueueWithAConfirm() throws Exception {
        Caller admin = new Caller(ACME, UUID.randomUUID().toString(), "admin");
        Reply r = api().post("/api/v1/messages", admin, Map.of("queue", QUEUE, "message", Map.of("text", "hello", "n", 1)));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(202);
        String messageId = r.body().get("messageId").asText();
        assertThat(UUID.fromString(messageId)).isNotNull();

        // confirmed: the message is in the queue already
        try (Channel channel = tap.connection().createChannel()) {
            GetResponse got = channel.basicGet(QUEUE, true);
            assertThat(got).as("a message in " + QUEUE).isNotNull();
            assertThat(got.getProps().getMessageId()).isEqualTo(messageId);
            assertThat(got.getProps().getContentType()).isEqualTo("application/json");
            // compared as JSON: the request's map has no field order to keep
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            assertThat(json.readTree(got.getBody())).isEqualTo(json.readTree("{\"text\":\"hello\",\"n\":1}"));
            assertThat(got.getProps().getHeaders().get("x-wizmesh-tenant-id").toString()).isEqualTo(ACME);
        }
    }

    @Test
    void otherQueuesAre403AndBadBodiesAre4xxAndBuyersAre403() {
        Caller admin = new Caller(ACME, UUID.randomUUID().toString(), "admin");
        Reply other = api().post("/api/v1/messages", admin, Map.of("queue", "secrets", "message", "x"));
        assertThat(other.status()).as(other.body().toString()).isEqualTo(403);
        assertThat(other.code()).isEqualTo("QUEUE_NOT_ALLOWED");
        assertThat(other.body().at("/error/message").asText()).contains("secrets").contains(QUEUE);

        Reply noMessage = api().post("/api/v1/messages", admin, Map.of("queue", QUEUE));
        assertThat(noMessage.status()).as(noMessage.body().toString()).isEqualTo(422);
        assertThat(noMessage.code()).isEqualTo("VALIDATION_FAILED");
        assertThat(noMessage.body().at("/error/details/fields/0/field").asText()).isEqualTo("message");

        Reply noQueue = api().post("/api/v1/messages", admin, Map.of("message", "x"));
        assertThat(noQueue.status()).as(noQueue.body().toString()).isEqualTo(422);
        assertThat(noQueue.code()).isEqualTo("VALIDATION_FAILED");

        Reply tooBig = api().post("/api/v1/messages", admin, Map.of("queue", QUEUE, "message", "x".repeat(70_000)));
        assertThat(tooBig.status()).as(tooBig.body().toString()).isEqualTo(422);

        Reply malformed = api().send("POST", "/api/v1/messages", admin, "{\"queue\":", Map.of());
        assertThat(malformed.status()).as(malformed.body().toString()).isEqualTo(400);
        assertThat(malformed.code()).isEqualTo("MALFORMED_JSON");

        Reply buyer = api().post("/api/v1/messages", new Caller(ACME, UUID.randomUUID().toString(), "user"),
                Map.of("queue", QUEUE, "message", "x"));
        assertThat(buyer.status()).isEqualTo(403);
        assertThat(buyer.code()).isEqualTo("FORBIDDEN");
        assertThat(api().post("/api/v1/messages", Caller.ANONYMOUS, Map.of("queue", QUEUE, "message", "x")).status())
                .isEqualTo(401);
    }

    private static List<String> outboxTypes(String orderId) {
        UUID tenant = UUID.fromString(ACME);
        return APP.<OrderApplication>getApplication().database().tenants().inTenant(tenant, h ->
                h.createQuery("SELECT type FROM outbox WHERE aggregate_id = :id ORDER BY seq").bind("id", orderId)
                        .mapTo(String.class).list());
    }

    private static long unsent(String orderId) {
        UUID tenant = UUID.fromString(ACME);
        return APP.<OrderApplication>getApplication().database().tenants().inTenant(tenant, h ->
                h.createQuery("SELECT count(*) FROM outbox WHERE aggregate_id = :id AND sent_at IS NULL").bind("id", orderId)
                        .mapTo(Long.class).one());
    }

    static void poll(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }
}
