package dev.wizmesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

@ExtendWith(AmqpExtension.class)
class AmqpExtensionIT {

    @Test
    void publishesWithConfirmsAndConsumesWithManualAck(AmqpBrokerInfo broker) throws Exception {
        String queue = UniqueNames.next();
        try (Connection connection = connect(broker.uri().toString()); Channel channel = connection.createChannel()) {
            channel.queueDeclare(queue, false, false, false, null);

            channel.confirmSelect();
            channel.basicPublish("", queue, null, "hello".getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5_000);

            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            String consumerTag = channel.basicConsume(queue, false, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                        throws java.io.IOException {
                    received.add(new String(body, StandardCharsets.UTF_8));
                    getChannel().basicAck(envelope.getDeliveryTag(), false);
                }
            });
            assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("hello");
            channel.basicCancel(consumerTag);

            assertThat(channel.queueDeclarePassive(queue).getMessageCount()).isZero();
            assertThat(channel.basicGet(queue, false)).isNull();
            channel.queueDelete(queue);
        }
    }

    @Test
    void uriNamesTheHostPortUserAndVirtualHost(AmqpBrokerInfo broker) {
        assertThat(broker.uri().toString())
                .isEqualTo("amqp://" + broker.username() + ":" + broker.password() + "@" + broker.host() + ":"
                        + broker.port() + "/%2F");
        assertThat(broker.virtualHost()).isEqualTo("/");
    }

    @Test
    void embeddedBrokerAlsoTakesTheUriWithABareTrailingSlash(AmqpBrokerInfo broker) throws Exception {
        assumeThat(System.getenv("WIZMESH_TEST_AMQP_URI")).as("only Qpid maps the empty virtual host").isNull();
        // The RabbitMQ client sends the virtual host "" for this URI; Qpid's defaultAlias serves it.
        try (Connection connection = connect("amqp://guest:guest@127.0.0.1:" + broker.port() + "/")) {
            assertThat(connection.isOpen()).isTrue();
        }
    }

    @Test
    void startingTheBrokerLeavesTheLoggingConfigurationAlone(AmqpBrokerInfo broker) throws Exception {
        try (Connection connection = connect(broker.uri().toString())) {
            assertThat(connection.isOpen()).isTrue();
        }
        // logback-test.xml's root level and appender are still in place: nothing reconfigured logback.
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = logging.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        assertThat(root.getAppender("WIZMESH_TEST_CONSOLE")).isNotNull();
        assertThat(logging.getLogger("org.apache.qpid").getLevel()).isNull();
    }

    private static Connection connect(String uri) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri);
        return factory.newConnection();
    }
}
