package dev.wizmesh.order;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.wizmesh.messaging.event.EventExchange;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a test sees on {@code wizmesh.events}: a server-named queue of its own bound with {@code bindingKey}, every
 * delivery kept as (routing key, envelope). On a connection of its own, apart from the app under test.
 */
final class EventTap implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Seen(String routingKey, String messageId, JsonNode envelope) {
    }

    private final Connection connection;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    EventTap(URI broker, String bindingKey) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(broker);
        connection = factory.newConnection("order-svc-event-tap");
        Channel channel = connection.createChannel();
        EventExchange.declare(channel);
        String queue = channel.queueDeclare().getQueue();
        channel.queueBind(queue, EventExchange.NAME, bindingKey);
        channel.basicConsume(queue, true, (tag, delivery) -> {
            try {
                seen.add(new Seen(delivery.getEnvelope().getRoutingKey(), delivery.getProperties().getMessageId(),
                        JSON.readTree(delivery.getBody())));
            } catch (IOException e) {
                seen.add(new Seen(delivery.getEnvelope().getRoutingKey(), delivery.getProperties().getMessageId(), null));
            }
        }, tag -> { });
    }

    /** The events about {@code orderId}, in the order they arrived. */
    List<Seen> about(String orderId) {
        return seen.stream()
                .filter(s -> s.envelope() != null && orderId.equals(s.envelope().path("data").path("orderId").asText()))
                .toList();
    }

    Connection connection() {
        return connection;
    }

    @Override
    public void close() throws Exception {
        if (connection.isOpen()) {
            connection.close();
        }
    }
}
