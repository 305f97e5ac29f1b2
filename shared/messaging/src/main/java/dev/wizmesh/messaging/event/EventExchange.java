package dev.wizmesh.messaging.event;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import java.io.IOException;

/**
 * The one exchange every service publishes its events to: {@code wizmesh.events}, a durable topic exchange,
 * routing key = event type. A consumer binds its queue with keys like {@code order.created} or {@code order.*}.
 * Declaring is idempotent, so publishers and consumers both declare it and neither has to start first.
 */
public final class EventExchange {
    public static final String NAME = "wizmesh.events";

    private EventExchange() {
    }

    public static void declare(Channel channel) throws IOException {
        channel.exchangeDeclare(NAME, BuiltinExchangeType.TOPIC, true);
    }
}
