package dev.wizmesh.messaging;

import dev.wizmesh.messaging.connection.AmqpConnection;
import dev.wizmesh.messaging.connection.AmqpFactory;
import dev.wizmesh.messaging.connection.MessagingMetrics;
import io.dropwizard.util.Duration;
import java.net.URI;

/** Connections as an app would build them from its {@code amqp:} block, with test-sized intervals. */
public final class Amqp {
    private Amqp() {
    }

    public static AmqpFactory factory(URI broker) {
        AmqpFactory factory = new AmqpFactory();
        factory.setUri(broker.toString());
        factory.setReconnectInterval(Duration.milliseconds(250));
        factory.setConnectionTimeout(Duration.seconds(5));
        return factory;
    }

    /** A started connection; poll {@link AmqpConnection#isConnected()} before relying on it. */
    public static AmqpConnection connect(URI broker, String name) {
        AmqpConnection connection = factory(broker).build(MessagingMetrics.unregistered(), name);
        connection.start();
        return connection;
    }
}
