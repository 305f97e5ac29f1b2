package dev.wizmesh.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import dev.wizmesh.messaging.connection.AmqpConnection;
import dev.wizmesh.messaging.event.Event;
import dev.wizmesh.messaging.event.EventExchange;
import dev.wizmesh.messaging.event.EventJson;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Events published straight to the exchange (as a relay would), for consumer tests. */
public final class TestEvents {
    private TestEvents() {
    }

    public static Event event(UUID tenant, String type, Map<String, Object> data) {
        return new Event(UUID.randomUUID(), type, Instant.now(), tenant, null, EventJson.toData(data));
    }

    public static void publish(AmqpConnection connection, Event event) throws Exception {
        publishRaw(connection, event.routingKey(), event.id().toString(), EventJson.toBytes(event));
    }

    public static void publishRaw(AmqpConnection connection, String routingKey, String messageId, byte[] body) throws Exception {
        try (Channel channel = connection.openChannel()) {
            channel.confirmSelect();
            EventExchange.declare(channel);
            channel.basicPublish(EventExchange.NAME, routingKey,
                    new AMQP.BasicProperties.Builder().messageId(messageId).deliveryMode(2).contentType("application/json").build(),
                    body);
            channel.waitForConfirmsOrDie(10_000);
        }
    }
}
