package dev.wizmesh.devstack;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.util.Map;

/**
 * A real AMQP 0-9-1 broker (RabbitMQ) given by {@code DEVSTACK_AMQP_URI}
 * ({@code amqp://user:password@host:port/vhost}, or {@code amqps://}): nothing is started; the devstack opens one
 * connection with the RabbitMQ client the services use (so the URI, the credentials and the virtual host are
 * checked as they will use them), closes it, and hands the URI on as {@code AMQP_URI}.
 */
final class ExternalAmqpBroker implements AmqpService {

    private final String uri;

    private ExternalAmqpBroker(String uri) {
        this.uri = uri;
    }

    static ExternalAmqpBroker check(String uri) {
        Progress.say("using the AMQP broker at " + AmqpService.redacted(uri) + " (DEVSTACK_AMQP_URI); starting none");
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(uri);
        } catch (Exception e) {
            throw new DevStackException("DEVSTACK_AMQP_URI is not an amqp:// or amqps:// URI: "
                    + AmqpService.redacted(uri) + " (" + e.getMessage() + ")", e);
        }
        factory.setConnectionTimeout(10_000);
        factory.setAutomaticRecoveryEnabled(false);
        try (Connection connection = factory.newConnection("wizmesh-devstack-check")) {
            Map<String, Object> server = connection.getServerProperties();
            Progress.say("AMQP broker " + server.getOrDefault("product", "?") + " " + server.getOrDefault("version", "")
                    + " answers at " + factory.getHost() + ":" + factory.getPort() + " as " + factory.getUsername()
                    + ", virtual host " + factory.getVirtualHost());
        } catch (Exception e) {
            throw new DevStackException("the AMQP broker at " + AmqpService.redacted(uri) + " does not answer: "
                    + e, e);
        }
        return new ExternalAmqpBroker(uri);
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
