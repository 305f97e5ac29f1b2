package dev.wizmesh.messaging.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import dev.wizmesh.messaging.Amqp;
import dev.wizmesh.messaging.Backoff;
import dev.wizmesh.messaging.MessagingDatabase;
import dev.wizmesh.messaging.Poll;
import dev.wizmesh.messaging.TestEvents;
import dev.wizmesh.messaging.connection.AmqpConnection;
import dev.wizmesh.messaging.deadletter.DeadLetter;
import dev.wizmesh.messaging.deadletter.DeadLetterTask;
import dev.wizmesh.messaging.deadletter.DeadLetters;
import dev.wizmesh.messaging.event.Event;
import dev.wizmesh.messaging.event.MalformedEventException;
import dev.wizmesh.persistence.Database;
import dev.wizmesh.testing.AmqpBrokerInfo;
import dev.wizmesh.testing.AmqpExtension;
import dev.wizmesh.testing.PostgresExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A consumer against a real broker and PostgreSQL: handles once, retries with back-off by republishing, dead-letters
 * with the failure in headers, skips redeliveries, and the DLQ can be peeked and replayed. Each test has a queue
 * and event types of its own.
 */
@ExtendWith(AmqpExtension.class)
class QueueConsumerIT {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    static MessagingDatabase db;
    static Database database;
    static AmqpConnection connection;

    UUID tenant;
    String prefix;
    String queue;
    QueueConsumer consumer;
    final List<Long> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger failuresLeft = new AtomicInteger();

    @BeforeAll
    static void open(AmqpBrokerInfo broker) throws Exception {
        db = MessagingDatabase.open(POSTGRES.database(), 4);
        database = db.database();
        connection = Amqp.connect(broker.uri(), "consumer-it");
        Poll.until("connected", connection::isConnected);
    }

    @AfterAll
    static void close() throws Exception {
        connection.stop();
        db.close();
    }

    @BeforeEach
    void names() {
        tenant = UUID.randomUUID();
        prefix = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        queue = prefix + "-svc.orders";
    }

    @AfterEach
    void stop() throws Exception {
        if (consumer != null) {
            consumer.stop();
        }
    }

    /** The handler: writes an effect row; fails while {@link #failuresLeft} is positive. */
    void handle(Handle h, Event event) {
        calls.add(System.nanoTime());
        h.execute("INSERT INTO test_effects (tenant_id, queue, event_id) VALUES (?, ?, ?)", event.tenantId(), queue, event.id());
        if (failuresLeft.getAndDecrement() > 0) {
            throw new IllegalStateException("no stock for sku-1");
        }
    }

    QueueConsumer start(int maxAttempts) {
        consumer = new QueueConsumer(connection, database, queue, List.of(prefix + ".*"), this::handle,
                new QueueConsumer.Settings(5, maxAttempts, new Backoff(Duration.ofMillis(150), Duration.ofSeconds(1), 2.0),
                        Duration.ofSeconds(10)), Clock.systemUTC());
        consumer.start();
        // subscribed: the consumer declares the queue, binds it, then consumes, on its own thread; an
        // event published before the binding exists is routed nowhere (a fresh RabbitMQ showed it)
        Poll.until("the consumer subscribed", () -> consumers(queue) > 0);
        return consumer;
    }

    long consumers(String name) {
        try (Channel channel = connection.openChannel()) {
            return channel.queueDeclarePassive(name).getConsumerCount();
        } catch (Exception e) {
            return -1;
        }
    }

    long effects(Event event) {
        return database.tenants().inTenant(event.tenantId(),
                h -> h.createQuery("SELECT count(*) FROM test_effects WHERE event_id = :id").bind("id", event.id())
                        .mapTo(Long.class).one());
    }

    long queueDepth(String name) {
        try (Channel channel = connection.openChannel()) {
            return channel.queueDeclarePassive(name).getMessageCount();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void anEventIsHandledOnceAndARedeliveryOfItIsANoOp() throws Exception {
        start(3);
        Event event = TestEvents.event(tenant, prefix + ".created", Map.of("orderId", "o-1"));
        TestEvents.publish(connection, event);
        Poll.until("handled", () -> effects(event) == 1);

        long duplicatesBefore = connection.metrics().duplicates().getCount();
        TestEvents.publish(connection, event); // the same event again, as a relay that crashed before marking it sent would
        Poll.until("the repeat seen", () -> connection.metrics().duplicates().getCount() == duplicatesBefore + 1);
        assertThat(effects(event)).isEqualTo(1);
        assertThat(calls).hasSize(1);
        Poll.until("both acked", () -> queueDepth(queue) == 0);
        boolean processed = database.tenants().inTenant(tenant, h -> new Inbox(Clock.systemUTC()).processed(h, queue, event.id()));
        assertThat(processed).isTrue();
    }

    @Test
    void aFailingEventIsRetriedAfterABackoffUntilItSucceeds() throws Exception {
        start(5);
        failuresLeft.set(2);
        Event event = TestEvents.event(tenant, prefix + ".created", Map.of("orderId", "o-2"));
        TestEvents.publish(connection, event);

        Poll.until("handled on the third attempt", () -> effects(event) == 1);
        assertThat(calls).hasSize(3); // the two failed runs rolled their effect back
        assertThat(Duration.ofNanos(calls.get(1) - calls.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        assertThat(Duration.ofNanos(calls.get(2) - calls.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        Poll.until("nothing left", () -> queueDepth(queue) == 0);
        assertThat(queueDepth(consumer.deadLetterQueue())).isZero();
    }

    @Test
    void afterTheLastAttemptItIsDeadLetteredWithTheFailureAndCanBeReplayed() throws Exception {
        start(3);
        failuresLeft.set(Integer.MAX_VALUE);
        Event event = TestEvents.event(tenant, prefix + ".created", Map.of("orderId", "o-3"));
        TestEvents.publish(connection, event);

        String dlq = queue + ".dlq";
        Poll.until("dead-lettered", () -> queueDepth(dlq) == 1);
        assertThat(calls).hasSize(3);
        assertThat(effects(event)).isZero();
        assertThat(queueDepth(queue)).isZero();

        // peeking shows it and leaves it there
        DeadLetters deadLetters = new DeadLetters(connection, Duration.ofSeconds(10));
        for (int look = 0; look < 2; look++) {
            List<DeadLetter> letters = deadLetters.peek(queue, 10);
            assertThat(letters).hasSize(1);
            DeadLetter letter = letters.get(0);
            assertThat(letter.messageId()).isEqualTo(event.id().toString());
            assertThat(letter.routingKey()).isEqualTo(prefix + ".created");
            assertThat(letter.attempts()).isEqualTo(3);
            assertThat(letter.exception()).isEqualTo(IllegalStateException.class.getName());
            assertThat(letter.error()).isEqualTo("no stock for sku-1");
            assertThat(letter.deadLetteredAt()).isNotBlank();
            assertThat(letter.body()).contains(event.id().toString());
        }
        try (Channel channel = connection.openChannel()) {
            GetResponse raw = channel.basicGet(dlq, false);
            assertThat(raw.getProps().getHeaders().get(MessageHeaders.QUEUE).toString()).isEqualTo(queue);
            channel.basicNack(raw.getEnvelope().getDeliveryTag(), false, true);
        }

        // fixed: the admin task replays it into the queue, where it is handled
        failuresLeft.set(0);
        DeadLetterTask replay = DeadLetterTask.replay(deadLetters, Set.of(queue));
        StringWriter out = new StringWriter();
        replay.execute(Map.of("queue", List.of(queue), "max", List.of("10")), new PrintWriter(out, true));
        assertThat(out.toString()).contains("replayed 1 message(s)");
        Poll.until("handled after the replay", () -> effects(event) == 1);
        assertThat(queueDepth(dlq)).isZero();

        assertThatThrownBy(() -> replay.execute(Map.of("queue", List.of("someone-elses.queue")), new PrintWriter(new StringWriter())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be one of this app's consumer queues");
        assertThatThrownBy(() -> replay.execute(Map.of("queue", List.of(queue), "max", List.of("lots")), new PrintWriter(new StringWriter())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max must be a number from 1 to 1000");
    }

    @Test
    void aMessageThatIsNotAnEventIsDeadLetteredAtOnce() throws Exception {
        start(5);
        TestEvents.publishRaw(connection, prefix + ".created", "junk-1", "{\"not\":\"an event\"}".getBytes(StandardCharsets.UTF_8));
        Poll.until("dead-lettered", () -> queueDepth(queue + ".dlq") == 1);
        DeadLetter letter = new DeadLetters(connection, Duration.ofSeconds(10)).peek(queue, 1).get(0);
        assertThat(letter.attempts()).isEqualTo(1);
        assertThat(letter.exception()).isEqualTo(MalformedEventException.class.getName());
        assertThat(letter.error()).startsWith("not a wizmesh event envelope");
        assertThat(calls).isEmpty();
    }

    @Test
    void badSettingsAreRefusedWithAClearMessage() {
        assertThatThrownBy(() -> new QueueConsumer(connection, database, "orders.dlq", List.of("order.created"), this::handle,
                QueueConsumer.Settings.DEFAULT, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not end with '.dlq'");
        assertThatThrownBy(() -> new QueueConsumer(connection, database, "orders", List.of(), this::handle,
                QueueConsumer.Settings.DEFAULT, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs at least one binding key");
        assertThatThrownBy(() -> new QueueConsumer.Settings(0, 3, Backoff.DEFAULT, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefetch must be 1 to 10000");
    }
}
