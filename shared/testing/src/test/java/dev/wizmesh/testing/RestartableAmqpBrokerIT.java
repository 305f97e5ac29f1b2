package dev.wizmesh.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What a restart keeps: nothing for the in-memory broker; durable queues with their persistent messages, acked or
 * not, for the persistent one, as on a RabbitMQ node that keeps its disk.
 */
class RestartableAmqpBrokerIT {

    @Test
    void persistentBrokerKeepsDurableQueuesAndPersistentMessagesAcrossARestart() throws Exception {
        try (RestartableAmqpBroker broker = RestartableAmqpBroker.persistent()) {
            broker.start();
            try (Connection connection = connect(broker); Channel channel = connection.createChannel()) {
                channel.queueDeclare("kept", true, false, false, null);
                channel.confirmSelect();
                for (int i = 0; i < 3; i++) {
                    channel.basicPublish("", "kept", MessageProperties.PERSISTENT_TEXT_PLAIN,
                            ("m" + i).getBytes(StandardCharsets.UTF_8));
                }
                channel.waitForConfirmsOrDie(10_000);
                // one taken and left unacked when the broker goes: it must come back too
                assertThat(channel.basicGet("kept", false)).isNotNull();
            }
            broker.stop();
            broker.start();
            assertThat(broker.messageCount("kept")).isEqualTo(3);
            assertThat(broker.messageCount("never-declared")).isEqualTo(-1);
            try (Connection connection = connect(broker); Channel channel = connection.createChannel()) {
                StringBuilder bodies = new StringBuilder();
                GetResponse message;
                while ((message = channel.basicGet("kept", true)) != null) {
                    bodies.append(new String(message.getBody(), StandardCharsets.UTF_8)).append(' ');
                }
                assertThat(bodies.toString().trim()).isEqualTo("m0 m1 m2");
            }
            assertThat(broker.store()).isPresent();
        }
    }

    @Test
    void inMemoryBrokerStartsEmptyAfterARestart() throws Exception {
        try (RestartableAmqpBroker broker = new RestartableAmqpBroker()) {
            broker.start();
            try (Connection connection = connect(broker); Channel channel = connection.createChannel()) {
                channel.queueDeclare("lost", true, false, false, null);
                channel.basicPublish("", "lost", MessageProperties.PERSISTENT_TEXT_PLAIN, "m".getBytes(StandardCharsets.UTF_8));
            }
            broker.stop();
            broker.start();
            try (Connection connection = connect(broker); Channel channel = connection.createChannel()) {
                channel.queueDeclarePassive("lost");
                throw new AssertionError("the queue survived an in-memory restart");
            } catch (IOException expected) {
                // 404 NOT_FOUND: the queue is gone
            }
            assertThat(broker.store()).isEmpty();
        }
    }

    private static Connection connect(RestartableAmqpBroker broker) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(broker.info().uri());
        factory.setAutomaticRecoveryEnabled(false);
        return factory.newConnection();
    }
}
