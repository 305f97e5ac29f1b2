package dev.wizmesh.user;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.wizmesh.messaging.event.EventExchange;
import dev.wizmesh.testing.AmqpExtension;
import dev.wizmesh.testing.PostgresExtension;
import dev.wizmesh.testing.ServiceApi;
import dev.wizmesh.testing.ServiceApi.Caller;
import dev.wizmesh.testing.ServiceApi.Reply;
import dev.wizmesh.user.events.OrderNotifications;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * user-svc consuming order-svc's order events from a real broker (the embedded Qpid, or WIZMESH_TEST_AMQP_URI)
 * into each buyer's feed, {@code GET /api/v1/users/me/notifications}: newest first, by keyset pages, once per
 * event however often it is delivered, and only the caller's own (not another user's, not another tenant's).
 */
class NotificationFeedIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    @Order(1)
    static final PostgresExtension POSTGRES = new PostgresExtension();

    static final Path KEY_DIR = scratch();

    @RegisterExtension
    @Order(2)
    static final DropwizardAppExtension<UserConfiguration> APP = new DropwizardAppExtension<>(
            UserApplication.class, Path.of("..", "config", "user-svc.yml").toString(),
            ConfigOverride.config("server.applicationConnectors[0].port", "0"),
            ConfigOverride.config("server.adminConnectors[0].port", "0"),
            ConfigOverride.config("grpc.port", "0"),
            ConfigOverride.config("discovery.mode", "static"),
            ConfigOverride.config("amqp.uri", () -> AmqpExtension.sharedBroker().uri().toString()),
            ConfigOverride.config("amqp.reconnectInterval", "250ms"),
            ConfigOverride.config("database.url", () -> POSTGRES.database().urlWithoutCredentials()),
            ConfigOverride.config("database.owner.user", () -> POSTGRES.database().username()),
            ConfigOverride.config("database.owner.password", () -> POSTGRES.database().password()),
            ConfigOverride.config("auth.signingKey", KEY_DIR.resolve("jwt.pem").toString()),
            ConfigOverride.config("auth.passwordHashCost", "4"));

    static Connection connection;
    static Channel channel;

    static Path scratch() {
        try {
            return Files.createTempDirectory("user-svc-feed-keys");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void connect() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(AmqpExtension.sharedBroker().uri());
        connection = factory.newConnection("notification-feed-it");
        channel = connection.createChannel();
        channel.confirmSelect();
        EventExchange.declare(channel);
        UserApplication app = APP.getApplication();
        poll("user-svc's consumer subscribed to its queue", Duration.ofSeconds(60), () -> app.amqp().isConnected() && consuming());
    }

    @AfterAll
    static void disconnect() throws Exception {
        if (connection != null && connection.isOpen()) {
            connection.close();
        }
    }

    private static boolean consuming() {
        try (Channel probe = connection.createChannel()) {
            return probe.queueDeclarePassive(OrderNotifications.QUEUE).getConsumerCount() > 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void orderEventsBecomeTheBuyersFeedNewestFirstOnceEachAndOnlyTheirs() throws Exception {
        UUID tenant = UUID.randomUUID();
        UUID otherTenant = UUID.randomUUID();
        UUID alice = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();

        publish(event("order.created", tenant, alice, first, "PENDING", null));
        byte[] confirmed = event("order.confirmed", tenant, alice, first, "CONFIRMED", null);
        publish(confirmed);
        publish(confirmed); // at least once: the same event again
        publish(event("order.created", tenant, alice, second, "PENDING", null));
        publish(event("order.created", tenant, bob, UUID.randomUUID(), "PENDING", null));
        // the same user id in another tenant is another person
        publish(event("order.created", otherTenant, alice, UUID.randomUUID(), "PENDING", null));
        // the consumer handles one at a time in queue order: once the last one is in the feed, all before it were handled
        publish(event("order.cancelled", tenant, alice, second, "CANCELLED", "OUT_OF_STOCK"));

        Caller me = new Caller(tenant.toString(), alice.toString(), "user");
        poll("alice's last notification", Duration.ofSeconds(60),
                () -> types(feed(me, "?limit=100").path("items")).contains("order.cancelled"));
        JsonNode items = feed(me, "?limit=100").get("items");
        assertThat(items).hasSize(4); // the duplicate added nothing
        assertThat(types(items)).containsExactly("order.cancelled", "order.created", "order.confirmed", "order.created");
        JsonNode cancelled = items.get(0);
        assertThat(cancelled.get("orderId").asText()).isEqualTo(second.toString());
        assertThat(cancelled.get("cancelReason").asText()).isEqualTo("OUT_OF_STOCK");
        assertThat(cancelled.get("message").asText()).isEqualTo("Your order " + second.toString().substring(0, 8)
                + " was cancelled (OUT_OF_STOCK)");
        JsonNode confirmedItem = items.get(2);
        assertThat(confirmedItem.get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(confirmedItem.get("totalCents").asLong()).isEqualTo(3499);
        assertThat(confirmedItem.get("message").asText()).endsWith("is confirmed: 34.99 EUR");
        assertThat(confirmedItem.get("occurredAt").asText()).endsWith("Z");

        // keyset pages of 3: the same four, in the same order, then no cursor
        JsonNode page1 = feed(me, "?limit=3");
        assertThat(page1.get("items")).hasSize(3);
        String cursor = page1.get("nextCursor").asText();
        JsonNode page2 = feed(me, "?limit=3&cursor=" + cursor);
        assertThat(page2.get("items")).hasSize(1);
        assertThat(page2.get("nextCursor").isNull()).isTrue();
        List<String> paged = new ArrayList<>(ids(page1.get("items")));
        paged.addAll(ids(page2.get("items")));
        assertThat(paged).isEqualTo(ids(items));

        // only the caller's own
        assertThat(types(feed(new Caller(tenant.toString(), bob.toString(), "user"), "").get("items")))
                .containsExactly("order.created");
        JsonNode elsewhere = feed(new Caller(otherTenant.toString(), alice.toString(), "user"), "").get("items");
        assertThat(elsewhere).hasSize(1);
        assertThat(elsewhere.get(0).get("orderId").asText()).isNotIn(first.toString(), second.toString());
        assertThat(feed(new Caller(tenant.toString(), UUID.randomUUID().toString(), "user"), "").get("items")).isEmpty();

        ServiceApi api = new ServiceApi(APP.getLocalPort());
        assertThat(api.get("/api/v1/users/me/notifications", Caller.ANONYMOUS).status()).isEqualTo(401);
        Reply badCursor = api.get("/api/v1/users/me/notifications?cursor=nonsense", me);
        assertThat(badCursor.status()).isEqualTo(400);
        assertThat(badCursor.code()).isEqualTo("BAD_REQUEST");
        assertThat(api.get("/api/v1/users/me/notifications?limit=0", me).status()).isEqualTo(422);
    }

    @Test
    void aMessageThatIsNotAnEventIsDeadLetteredAndShownByTheAdminTask() throws Exception {
        String marker = "not an event " + UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        channel.basicPublish(EventExchange.NAME, "order.created", new AMQP.BasicProperties.Builder().messageId(id).build(),
                marker.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(30_000);
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest peek = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                        + APP.getAdminPort() + "/tasks/dlq-peek?queue=" + OrderNotifications.QUEUE + "&max=1000"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build();
        String[] shown = {""};
        poll("the malformed message in the DLQ", Duration.ofSeconds(60), () -> {
            try {
                shown[0] = http.send(peek, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                return shown[0].contains(marker);
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(shown[0]).contains(id).contains("MalformedEventException");
    }

    private static JsonNode feed(Caller caller, String query) {
        Reply reply = new ServiceApi(APP.getLocalPort()).get("/api/v1/users/me/notifications" + query, caller);
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        return reply.body();
    }

    private static List<String> types(JsonNode items) {
        List<String> types = new ArrayList<>();
        items.forEach(i -> types.add(i.get("type").asText()));
        return types;
    }

    private static List<String> ids(JsonNode items) {
        List<String> ids = new ArrayList<>();
        items.forEach(i -> ids.add(i.get("id").asText()));
        return ids;
    }

    /** The envelope order-svc publishes (docs/messaging.md). */
    private static byte[] event(String type, UUID tenant, UUID user, UUID order, String status, String cancelReason) throws Exception {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("orderId", order.toString());
        data.put("userId", user.toString());
        data.put("status", status);
        data.put("cancelReason", cancelReason);
        data.put("totalCents", 3499);
        data.put("currency", "EUR");
        data.put("lines", List.of(Map.of("productId", UUID.randomUUID().toString(), "quantity", 1, "unitPriceCents", 3499)));
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("id", UUID.randomUUID().toString());
        envelope.put("type", type);
        envelope.put("occurredAt", Instant.now().toString());
        envelope.put("tenantId", tenant.toString());
        envelope.put("data", data);
        return JSON.writeValueAsBytes(envelope);
    }

    private static void publish(byte[] envelope) throws Exception {
        JsonNode parsed = JSON.readTree(envelope);
        channel.basicPublish(EventExchange.NAME, parsed.get("type").asText(), new AMQP.BasicProperties.Builder()
                .messageId(parsed.get("id").asText()).contentType("application/json").deliveryMode(2).build(), envelope);
        channel.waitForConfirmsOrDie(30_000);
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
