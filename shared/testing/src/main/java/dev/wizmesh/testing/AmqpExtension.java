package dev.wizmesh.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands out the test AMQP 0-9-1 broker: an embedded Apache Qpid Broker-J started on first use, or the broker
 * (e.g. RabbitMQ) that {@code WIZMESH_TEST_AMQP_URI} points at.
 *
 * <p>Use {@code @ExtendWith(AmqpExtension.class)} and take an {@link AmqpBrokerInfo} parameter, or call
 * {@link #sharedBroker()}. The broker is shared by every test class in the JVM, so tests should use queue and
 * exchange names of their own (or server-named queues) rather than purge or delete what they did not declare.
 */
public final class AmqpExtension implements ParameterResolver {

    private static AmqpBrokerInfo shared;

    /** The shared broker; starts the embedded one on first use. */
    public static synchronized AmqpBrokerInfo sharedBroker() {
        if (shared == null) {
            shared = ExternalServers.url(ExternalServers.AMQP_URI)
                    .map(AmqpBrokerInfo::parse)
                    .orElseGet(() -> AmqpBrokerInfo.of("127.0.0.1", EmbeddedQpidLauncher.start(), "guest", "guest", "/"));
        }
        return shared;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == AmqpBrokerInfo.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return sharedBroker();
    }
}
