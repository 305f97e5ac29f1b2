package dev.wizmesh.messaging.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import dev.wizmesh.messaging.Amqp;
import dev.wizmesh.messaging.Backoff;
import dev.wizmesh.messaging.EventTap;
import dev.wizmesh.messaging.MessagingDatabase;
import dev.wizmesh.messaging.Poll;
import dev.wizmesh.messaging.connection.AmqpConnection;
import dev.wizmesh.messaging.connection.MessagingMetrics;
import dev.wizmesh.messaging.event.Event;
import dev.wizmesh.messaging.event.EventExchange;
import dev.wizmesh.messaging.event.EventJson;
import dev.wizmesh.persistence.Database;
import dev.wizmesh.platform.metrics.PrometheusMetrics;
import dev.wizmesh.testing.AmqpBrokerInfo;
import dev.wizmesh.testing.AmqpExtension;
import dev.wizmesh.testing.PostgresExtension;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The relay against a real PostgreSQL and a real broker: publishes with confirms, marks sent only what the broker
 * confirmed, keeps each aggregate's order, never publishes a row twice with two relays, retries with back-off.
 * Every test publishes event types of its own ({@code t<random>.*}), so its tap sees only its events.
 */
@ExtendWith(AmqpExtension.class)
class OutboxRelayIT {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    static MessagingDatabase db;
    static Database database;
    static AmqpBrokerInfo broker;

    final Outbox outbox = new Outbox(Clock.systemUTC());
    final List<AutoCloseable> closing = new ArrayList<>();
    UUID tenant;
    String prefix;

    @BeforeAll
    static void open(AmqpBrokerInfo info) throws Exception {
        db = MessagingDatabase.open(POSTGRES.database(), 8);
        database = db.database();
        broker = info;
    }

    @AfterAll
    static void close() throws Exception {
        db.close();
    }

    @BeforeEach
    void empty() throws Exception {
        db.truncate("outbox");
        tenant = UUID.randomUUID();
        prefix = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    AmqpConnection connected(String name) {
        AmqpConnection connection = Amqp.connect(broker.uri(), name);
        closing.add(connection::stop);
        Poll.until(name + " connected", connection::isConnected);
        return connection;
    }

    OutboxRelay relay(AmqpConnection connection, Backoff backoff, String name) {
        OutboxRelay relay = new OutboxRelay(database, connection, new OutboxRelay.Settings(Duration.ofMillis(50), 20, backoff,
                Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofHours(1)), Clock.systemUTC(), name);
        closing.add(relay::stop);
        return relay;
    }

    EventTap tap() throws Exception {
        EventTap tap = new EventTap(broker.uri(), prefix + ".#");
        closing.add(tap);
        return tap;
    }

    Event add(String aggregate, String what, int n) {
        return database.tenants().inTenant(tenant,
                h -> outbox.add(h, tenant, aggregate, prefix + "." + what, Map.of("aggregate", aggregate, "n", n)));
    }

    @Test
    void publishesWithConfirmsThenMarksTheRowsSent() throws Exception {
        EventTap tap = tap();
        MetricRegistry registry = new MetricRegistry();
        AmqpConnection connection = Amqp.factory(broker.uri()).build(new MessagingMetrics(registry), "relay-metrics")
                .withConnectedGauge(registry);
        connection.start();
        closing.add(connection::stop);
        Poll.until("connected", connection::isConnected);

        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        Event traced;
        SpanContext span = SpanContext.createFromRemoteParent("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
                TraceFlags.getSampled(), TraceState.getDefault());
        try (Scope ignored = Context.root().with(Span.wrap(span)).makeCurrent()) {
            traced = add("order-1", "created", 1);
        }
        Event second = add("order-2", "created", 1);
        assertThat(traced.traceparent()).isEqualTo(traceparent);
        assertThat(db.count("SELECT count(*) FROM outbox WHERE sent_at IS NULL")).isEqualTo(2);

        OutboxRelay relay = relay(connection, Backoff.DEFAULT, "relay-1");
        assertThat(relay.relayOnce()).isEqualTo(2);

        assertThat(db.count("SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL AND attempts = 0")).isEqualTo(2);
        Poll.until("both events delivered", () -> tap.deliveries().size() == 2);
        Map<String, Delivery> byId = new LinkedHashMap<>();
        tap.deliveries().forEach(d -> byId.put(d.getProperties().getMessageId(), d));
        Delivery delivered = byId.get(traced.id().toString());
        assertThat(delivered.getEnvelope().getRoutingKey()).isEqualTo(prefix + ".created");
        assertThat(delivered.getEnvelope().getExchange()).isEqualTo(EventExchange.NAME);
        assertThat(delivered.getProperties().getDeliveryMode()).isEqualTo(2);
        assertThat(delivered.getProperties().getContentType()).isEqualTo("application/json");
        assertThat(delivered.getProperties().getHeaders().get("traceparent").toString()).isEqualTo(traceparent);
        Event parsed = EventJson.parse(delivered.getBody());
        assertThat(parsed).isEqualTo(traced);
        JsonNode json = EventJson.mapper().readTree(delivered.getBody());
        assertThat(json.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("id", "type", "occurredAt", "tenantId", "traceparent", "data");
        assertThat(EventJson.parse(byId.get(second.id().toString()).getBody()).traceparent()).isNull();

        // nothing is due any more; the counters say what happened, under Prometheus names
        assertThat(relay.relayOnce()).isZero();
        assertThat(relay.sent()).isEqualTo(2);
        ByteArrayOutputStream scrape = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(scrape, new PrometheusMetrics(registry).registry().scrape());
        assertThat(scrape.toString(StandardCharsets.UTF_8).split("\n"))
                .contains("messaging_published_total 2.0", "messaging_confirmed_total 2.0", "messaging_nacked_total 0.0",
                        "messaging_amqp_connected 1.0");
    }

    @Test
    void anUnconfirmedPublishIsNotMarkedSentAndIsRetriedAfterABackoff() throws Exception {
        AmqpConnection connection = connected("relay-retry");
        OutboxRelay relay = relay(connection, new Backoff(Duration.ofMillis(300), Duration.ofSeconds(5), 2.0), "relay-retry");
        // the exchange vanishes behind the relay's back: the publish is refused (channel error), never confirmed
        assertThat(relay.relayOnce()).isZero(); // opens its channel (declaring the exchange) with nothing to do
        try (Channel admin = connection.openChannel()) {
            admin.exchangeDelete(EventExchange.NAME);
        }
        Event event = add("order-1", "created", 1);
        long before = System.currentTimeMillis();
        assertThat(relay.relayOnce()).isEqualTo(1);

        assertThat(db.count("SELECT count(*) FROM outbox WHERE id = '" + event.id() + "' AND sent_at IS NULL AND attempts = 1"
                + " AND last_error IS NOT NULL AND next_attempt_at > now()")).isEqualTo(1);
        assertThat(relay.failed()).isEqualTo(1);
        assertThat(connection.metrics().nacked().getCount()).isEqualTo(1);

        // not due yet: the back-off holds it; once due, a new channel (exchange declared again) publishes it
        EventTap tap = tap();
        assertThat(relay.relayOnce()).isZero();
        Poll.until("the retry after the back-off", () -> relay.relayOnce() == 1);
        assertThat(System.currentTimeMillis() - before).isGreaterThanOrEqualTo(300);
        assertThat(db.count("SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL AND attempts = 1")).isEqualTo(1);
        Poll.until("delivered", () -> tap.deliveries().size() == 1);
        assertThat(tap.deliveries().get(0).getProperties().getMessageId()).isEqualTo(event.id().toString());
    }

    @Test
    void eachAggregatesEventsArePublishedInOrderAndALaterOneWaitsForAnEarlierUnsentOne() throws Exception {
        EventTap tap = tap();
        List<String> aggregates = List.of("a", "b", "c", "d");
        for (int n = 1; n <= 10; n++) {
            for (String aggregate : aggregates) {
                add(aggregate, "changed", n);
            }
        }
        // a's first event failed before and is not due for an hour: none of a's later events may overtake it
        db.execute("UPDATE outbox SET attempts = 1, next_attempt_at = now() + interval '1 hour' WHERE seq = "
                + "(SELECT min(seq) FROM outbox WHERE aggregate_id = 'a')");

        AmqpConnection connection = connected("relay-order");
        OutboxRelay relay = relay(connection, Backoff.DEFAULT, "relay-order");
        relay.start();
        Poll.until("b, c and d published", () -> tap.deliveries().size() == 30);
        assertThat(db.count("SELECT count(*) FROM outbox WHERE aggregate_id = 'a' AND sent_at IS NOT NULL")).isZero();

        db.execute("UPDATE outbox SET next_attempt_at = now() WHERE aggregate_id = 'a'");
        Poll.until("a published too", () -> tap.deliveries().size() == 40);

        Map<String, List<Integer>> order = new LinkedHashMap<>();
        for (Delivery d : tap.deliveries()) {
            JsonNode data = EventJson.parse(d.getBody()).data();
            order.computeIfAbsent(data.get("aggregate").asText(), k -> new ArrayList<>()).add(data.get("n").asInt());
        }
        List<Integer> oneToTen = java.util.stream.IntStream.rangeClosed(1, 10).boxed().toList();
        assertThat(order).containsOnlyKeys(aggregates);
        order.values().forEach(ns -> assertThat(ns).isEqualTo(oneToTen));
    }

    @Test
    void twoRelaysAtOnceNeverPublishARowTwice() throws Exception {
        EventTap tap = tap();
        int events = 200;
        for (int n = 0; n < events; n++) {
            add("agg-" + (n % 25), "placed", n);
        }
        AmqpConnection first = connected("relay-a");
        AmqpConnection second = connected("relay-b");
        OutboxRelay a = relay(first, Backoff.DEFAULT, "relay-a");
        OutboxRelay b = relay(second, Backoff.DEFAULT, "relay-b");
        a.start();
        b.start();
        Poll.until("every row sent", Duration.ofSeconds(60), () -> {
            try {
                return db.count("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        a.stop();
        b.stop();

        // every publish of either relay is counted: exactly one per row, and the tap got each event once
        assertThat(first.metrics().published().getCount() + second.metrics().published().getCount()).isEqualTo(events);
        assertThat(a.sent() + b.sent()).isEqualTo(events);
        Poll.until("all delivered", () -> tap.deliveries().size() >= events);
        assertThat(tap.deliveries()).hasSize(events);
        assertThat(new HashSet<>(tap.deliveries().stream().map(d -> d.getProperties().getMessageId()).toList())).hasSize(events);
    }

    @Test
    void sentRowsGoAfterTheRetentionAndUnsentOnesStay() throws Exception {
        Event old = add("x", "done", 1);
        Event recent = add("y", "done", 1);
        Event unsent = add("z", "done", 1);
        db.execute("UPDATE outbox SET sent_at = now() - interval '2 hours' WHERE id = '" + old.id() + "'");
        db.execute("UPDATE outbox SET sent_at = now() - interval '10 minutes' WHERE id = '" + recent.id() + "'");
        db.execute("UPDATE outbox SET created_at = now() - interval '3 hours' WHERE id = '" + unsent.id() + "'");

        OutboxRelay relay = relay(connected("relay-retention"), Backoff.DEFAULT, "relay-retention");
        assertThat(relay.deleteSentRows()).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM outbox WHERE id = '" + old.id() + "'")).isZero();
        assertThat(db.count("SELECT count(*) FROM outbox")).isEqualTo(2);
    }
}
