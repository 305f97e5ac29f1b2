package dev.wizmesh.devstack;

import java.util.Map;

/**
 * The AMQP 0-9-1 broker as the devstack provides it: an embedded one it started ({@link EmbeddedAmqpBroker}) or a
 * real one it was given ({@link ExternalAmqpBroker}). Either way the apps get one variable, {@code AMQP_URI}, which
 * their YAML reads ({@code ${AMQP_URI:-amqp://guest:guest@127.0.0.1:5672/%2F}}).
 */
interface AmqpService extends AutoCloseable {

    /** {@code amqp://user:password@host:port/vhost}, as the RabbitMQ client's {@code ConnectionFactory.setUri} takes it. */
    String uri();

    /** Stops what this service started; nothing for a broker it was given. */
    @Override
    void close();

    default Map<String, String> environment() {
        return Map.of("AMQP_URI", uri());
    }

    /** The URI without its credentials, for progress lines and logs. */
    static String redacted(String uri) {
        return uri.replaceFirst("//[^@/]*@", "//***@");
    }
}
