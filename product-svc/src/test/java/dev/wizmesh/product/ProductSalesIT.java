package dev.wizmesh.product;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.wizmesh.messaging.event.EventExchange;
import dev.wizmesh.product.events.ProductSales;
import dev.wizmesh.testing.AmqpExtension;
import dev.wizmesh.testing.PostgresExtension;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.time.Duration;
import java.time.Instant;
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
 * product-svc consuming order-svc's {@code order.confirmed} from a real broker (the embedded Qpid, or
 * WIZMESH_TEST_AMQP_URI): each line's quantity is added to its product's {@code sold}, once, however often the
 * event is delivered; another tenant's product is not touched; a message that is not an event ends in the DLQ,
 * where the admin task shows it.
 */
class ProductSalesIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    @Order(1)
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @RegisterExtension
    @Order(2)
    static final DropwizardAppExtension<ProductConfiguration> APP = new DropwizardAppExtension<>(
            ProductApplication.class, ResourceHelpers.resourceFilePath("product-test.yml"),
            ConfigOverride.config("amqp.uri", () -> AmqpExtension.sharedBroker().uri().toString()),
            ConfigOverride.config("amqp.reconnectInterval", "250ms"),
            ConfigOverride.config("database.url", () -> POSTGRES.database().urlWithoutCredentials()),
            ConfigOverride.config("database.owner.user", () -> POSTGRES.database().username()),
            ConfigOverride.config("database.owner.password", () -> POSTGRES.database().password()));

    static Connection connection;
    static Channel channel;

    @BeforeAll
    static void connect() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(AmqpExtension.sharedBroker().uri());
        connection = factory.newConnection("product-sales-it");
        channel = connection.createChannel();
        channel.confirmSelect();
        EventExchange.declare(channel);
        ProductApplication app = APP.getApplication();
        poll("product-svc's consumer subscribed to its queue", Duration.ofSeconds(60), () -> app.amqp().isConnected() && consuming());
    }

    @AfterAll
    static void disconnect() throws Exception {
        if (connection != null && connection.isOpen()) {
            connection.close();
        }
    }

    private static boolean consuming() {
        try (Channel probe = connection.createChannel()) {
            return probe.queueDeclarePassive(ProductSales.QUEUE).getConsumerCount() > 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void aConfirmedOrderCountsItsUnitsSoldOnceEvenWhenDeliveredTwice() throws Exception {
        UUID tenant = UUID.randomUUID();
        Caller admin = Caller.admin(APP.getLocalPort(), tenant);
        String teapot = create(admin, "TEA-1");
        String kettle = create(admin, "KETTLE-1");
        UUID otherTenant = UUID.randomUUID();
        Caller otherAdmin = Caller.admin(APP.getLocalPort(), otherTenant);
        String othersTeapot = create(otherAdmin, "TEA-1");
        assertThat(admin.get("/api/v1/products/" + teapot).body().get("sold").asLong()).isZero();

        UUID eventId = UUID.randomUUID();
        byte[] confirmed = orderConfirmed(eventId, tenant, List.of(line(teapot, 3), line(kettle, 1), line(othersTeapot, 7)));
        publish("order.confirmed", eventId, confirmed);
        publish("order.confirmed", eventId, confirmed); // at least once: the same event again
        // a later event of another order: the consumer handles one at a time in queue order, so once this one counted,
        // the duplicate before it was handled too
        UUID markerId = UUID.randomUUID();
        publish("order.confirmed", markerId, orderConfirmed(markerId, tenant, List.of(line(kettle, 2))));

        poll("the later event counted", Duration.ofSeconds(60), () -> sold(admin, kettle) == 3);
        assertThat(sold(admin, teapot)).as("3 teapots, counted once").isEqualTo(3);
        assertThat(sold(otherAdmin, othersTeapot)).as("another tenant's product is not this tenant's order's").isZero();
        assertThat(APP.<ProductApplication>getApplication().amqp().metrics().duplicates().getCount()).isGreaterThanOrEqualTo(1);
        // order.created is not bound to product-svc's queue: it counts nothing
        UUID createdId = UUID.randomUUID();
        publish("order.created", createdId, orderConfirmed(createdId, tenant, List.of(line(teapot, 100))));
        UUID lastId = UUID.randomUUID();
        publish("order.confirmed", lastId, orderConfirmed(lastId, tenant, List.of(line(kettle, 1))));
        poll("the last event counted", Duration.ofSeconds(60), () -> sold(admin, kettle) == 4);
        assertThat(sold(admin, teapot)).isEqualTo(3);
    }

    /**
     * A stock reservation locks its products in id order; the consumer must take them in the same order, or an
     * order.confirmed whose lines list the higher id first deadlocks with it. Here a transaction holds the lower id
     * (a reservation's first lock) while the event arrives, waits until the consumer blocks on it, then takes the
     * higher id. In line order the consumer would hold that one: PostgreSQL would break the cycle by aborting the
     * consumer's transaction, and the event would be retried. In id order the consumer holds nothing yet.
     */
    @Test
    void countsProductsInIdOrderSoAStockReservationNeverDeadlocksWithIt() throws Exception {
        UUID tenant = UUID.randomUUID();
        Caller admin = Caller.admin(APP.getLocalPort(), tenant);
        String one = create(admin, "LOCK-1");
        String two = create(admin, "LOCK-2");
        // PostgreSQL's uuid order is the canonical text's
        String low = one.compareTo(two) < 0 ? one : two;
        String high = low.equals(one) ? two : one;
        long retriedBefore = APP.<ProductApplication>getApplication().amqp().metrics().retried().getCount();
        try (java.sql.Connection reservation = POSTGRES.database().connection();
             java.sql.Statement sql = reservation.createStatement()) {
            reservation.setAutoCommit(false);
            sql.execute("SELECT id FROM products WHERE id = '" + low + "' FOR UPDATE");
            UUID eventId = UUID.randomUUID();
            publish("order.confirmed", eventId, orderConfirmed(eventId, tenant, List.of(line(high, 1), line(low, 1))));
            poll("the consumer waiting for the product the reservation holds", Duration.ofSeconds(60), () -> {
                try (java.sql.Connection probe = POSTGRES.database().connection();
                     java.sql.ResultSet waiting = probe.createStatement().executeQuery("SELECT count(*) FROM pg_stat_activity "
                             + "WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'UPDATE products SET sold%'")) {
                    waiting.next();
                    return waiting.getLong(1) > 0;
                } catch (java.sql.SQLException e) {
                    return false;
                }
            });
            sql.execute("SELECT id FROM products WHERE id = '" + high + "' FOR UPDATE");
            reservation.commit();
        }
        poll("both lines counted", Duration.ofSeconds(60), () -> sold(admin, low) == 1 && sold(admin, high) == 1);
        assertThat(APP.<ProductApplication>getApplication().amqp().metrics().retried().getCount())
                .as("the event went through at its first attempt: no deadlock").isEqualTo(retriedBefore);
    }

    @Test
    void aMessageThatIsNotAnEventIsDeadLetteredAndShownByTheAdminTask() throws Exception {
        String marker = "not an event " + UUID.randomUUID();
        UUID id = UUID.randomUUID();
        publish("order.confirmed", id, marker.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest peek = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                        + APP.getAdminPort() + "/tasks/dlq-peek?queue=" + ProductSales.QUEUE + "&max=1000"))
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
        assertThat(shown[0]).contains(id.toString()).contains("MalformedEventException");
        // only the app's own queues
        java.net.http.HttpResponse<String> other = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://127.0.0.1:" + APP.getAdminPort() + "/tasks/dlq-peek?queue=user-svc.order-events"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).isNotEqualTo(200);
    }

    private static long sold(Caller caller, String productId) {
        Caller.Reply reply = caller.get("/api/v1/products/" + productId);
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        return reply.body().get("sold").asLong();
    }

    private static String create(Caller admin, String sku) {
        Caller.Reply created = admin.post("/api/v1/products", Map.of("sku", sku, "name", "Thing " + sku, "priceCents", 500,
                "currency", "EUR", "stock", 100));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        return created.body().get("id").asText();
    }

    private static Map<String, Object> line(String productId, int quantity) {
        return Map.of("productId", productId, "quantity", quantity, "unitPriceCents", 500);
    }

    /** The envelope order-svc publishes (docs/messaging.md). */
    private static byte[] orderConfirmed(UUID eventId, UUID tenant, List<Map<String, Object>> lines) throws Exception {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("orderId", UUID.randomUUID().toString());
        data.put("userId", UUID.randomUUID().toString());
        data.put("status", "CONFIRMED");
        data.put("totalCents", 500);
        data.put("currency", "EUR");
        data.put("lines", lines);
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("id", eventId.toString());
        envelope.put("type", "order.confirmed");
        envelope.put("occurredAt", Instant.now().toString());
        envelope.put("tenantId", tenant.toString());
        envelope.put("data", data);
        return JSON.writeValueAsBytes(envelope);
    }

    private static void publish(String routingKey, UUID id, byte[] body) throws Exception {
        channel.basicPublish(EventExchange.NAME, routingKey, new AMQP.BasicProperties.Builder().messageId(id.toString())
                .contentType("application/json").deliveryMode(2).build(), body);
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
