package dev.wizmesh.messaging.connection;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.health.HealthCheck;
import dev.wizmesh.messaging.Amqp;
import dev.wizmesh.messaging.Backoff;
import dev.wizmesh.messaging.MessagingDatabase;
import dev.wizmesh.messaging.Poll;
import dev.wizmesh.messaging.consumer.QueueConsumer;
import dev.wizmesh.messaging.event.Event;
import dev.wizmesh.messaging.outbox.Outbox;
import dev.wizmesh.messaging.outbox.OutboxRelay;
import dev.wizmesh.persistence.Database;
import dev.wizmesh.testing.PostgresExtension;
import dev.wizmesh.testing.RestartableAmqpBroker;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The app side of a broker that is down at start-up and goes away later, on an embedded broker of the test's own
 * that it stops and starts: the app starts anyway, says so in its health check, keeps events in the outbox, and
 * once the broker is back the relay publishes them and the consumer handles them.
 */
class BrokerOutageIT {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @Test
    void startsWithoutTheBrokerThenConnectsAndRecoversAfterARestart() throws Exception {
        MessagingDatabase db = MessagingDatabase.open(POSTGRES.database(), 4);
        Database database = db.database();
        UUID tenant = UUID.randomUUID();
        Outbox outbox = new Outbox(Clock.systemUTC());
        try (RestartableAmqpBroker broker = new RestartableAmqpBroker()) {
            AmqpConnection connection = Amqp.connect(broker.info().uri(), "outage-it"); // the broker is not running
            AmqpHealthCheck health = new AmqpHealthCheck(connection);
            OutboxRelay relay = new OutboxRelay(database, connection, new OutboxRelay.Settings(Duration.ofMillis(50), 50,
                    Backoff.DEFAULT, Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofHours(1)), Clock.systemUTC());
            QueueConsumer consumer = new QueueConsumer(connection, database, "outage-svc.orders", List.of("order.*"),
                    (h, event) -> h.execute("INSERT INTO test_effects (tenant_id, queue, event_id) VALUES (?, 'outage', ?)",
                            event.tenantId(), event.id()),
                    QueueConsumer.Settings.DEFAULT, Clock.systemUTC());
            try {
                // start-up did not fail: everything runs, degraded, and the health check says why
                consumer.start();
                Poll.until("a failed connection attempt", () -> connection.lastError() != null);
                HealthCheck.Result down = health.execute();
                assertThat(down.isHealthy()).isFalse();
                assertThat(down.getMessage()).contains("not connected to the AMQP broker at amqp://guest@127.0.0.1:" + broker.info().port())
                        .contains("CONNECTING").contains("reconnecting in the background").doesNotContain("guest:guest");
                Event first = database.tenants().inTenant(tenant, h -> outbox.add(h, tenant, "o-1", "order.created", Map.of()));
                assertThat(relay.relayOnce()).isZero(); // nothing to publish to: the row waits, no attempt counted
                assertThat(db.count("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND attempts = 0")).isEqualTo(1);

                broker.start();
                Poll.until("connected", Duration.ofSeconds(60), connection::isConnected);
                assertThat(health.execute().isHealthy()).isTrue();
                // a fresh in-memory broker has no queues yet: publishing before the consumer declared its queue would
                // route the event nowhere (a real broker keeps durable queues across restarts, so this is the test's)
                Poll.until("the consumer's queue declared", Duration.ofSeconds(60), () -> queueExists(connection, "outage-svc.orders"));
                relay.start();
                Poll.until("the waiting event published and handled", Duration.ofSeconds(60), () -> effects(database, tenant, first) == 1);

                // the broker goes away (and comes back empty: an in-memory store)
                broker.stop();
                Poll.until("the loss noticed", Duration.ofSeconds(60), () -> !health.execute().isHealthy());
                assertThat(connection.state()).isEqualTo(ConnectionState.RECOVERING);
                Event second = database.tenants().inTenant(tenant, h -> outbox.add(h, tenant, "o-1", "order.confirmed", Map.of()));

                broker.start();
                Poll.until("recovered", Duration.ofSeconds(60), connection::isConnected);
                // topology recovery declared the exchange, queue and binding again; the relay resumed
                Poll.until("the event raised during the outage published and handled", Duration.ofSeconds(60),
                        () -> effects(database, tenant, second) == 1);
                assertThat(db.count("SELECT count(*) FROM outbox WHERE sent_at IS NULL")).isZero();
                assertThat(effects(database, tenant, first)).isEqualTo(1);
            } finally {
                consumer.stop();
                relay.stop();
                connection.stop();
                db.close();
            }
        }
    }

    private static boolean queueExists(AmqpConnection connection, String queue) {
        try (com.rabbitmq.client.Channel channel = connection.openChannel()) {
            channel.queueDeclarePassive(queue);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static long effects(Database database, UUID tenant, Event event) {
        return database.tenants().inTenant(tenant,
                h -> h.createQuery("SELECT count(*) FROM test_effects WHERE event_id = :id").bind("id", event.id())
                        .mapTo(Long.class).one());
    }
}
