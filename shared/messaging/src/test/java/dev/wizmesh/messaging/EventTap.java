package dev.wizmesh.messaging;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import dev.wizmesh.messaging.event.EventExchange;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a test sees on {@code wizmesh.events}: its own server-named queue bound with {@code bindingKey}, every
 * delivery kept (auto-ack). On a connection of its own, separate from the code under test.
 */
public final class EventTap implements AutoCloseable {
    private final Connection connection;
    private final Channel channel;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    public EventTap(URI broker, String bindingKey) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(broker);
        connection = factory.newConnection("event-tap");
        channel = connection.createChannel();
        EventExchange.declare(channel);
        String queue = channel.queueDeclare().getQueue();
        channel.queueBind(queue, EventExchange.NAME, bindingKey);
        channel.basicConsume(queue, true, (tag, delivery) -> deliveries.add(delivery), tag -> { });
    }

    public List<Delivery> deliveries() {
        return deliveries;
    }

    @Override
    public void close() throws Exception {
        if (connection.isOpen()) {
            connection.close();
        }
    }
}
