package dev.wizmesh.order.messages;

import com.rabbitmq.client.AMQP;
import dev.wizmesh.messaging.connection.AmqpConnection;
import dev.wizmesh.messaging.connection.AmqpUnavailableException;
import dev.wizmesh.messaging.publish.ConfirmedPublisher;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a message straight to one of a fixed set of queues (through the default exchange) and waits for the
 * broker's confirm: the answer says the broker has it, or that it does not. Unlike events, these are not in the
 * outbox: the caller is told at once when the broker is down (503) and may try again.
 *
 * <p>Each allowed queue is declared (durable) on the publishing channel when it is opened, so a message is never
 * routed nowhere because nobody had declared its queue yet.
 */
public final class QueuePublisher implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(QueuePublisher.class);
    private final AmqpConnection amqp;
    private final List<String> queues;
    private final Duration confirmTimeout;
    private ConfirmedPublisher publisher;

    public QueuePublisher(AmqpConnection amqp, List<String> queues, Duration confirmTimeout) {
        this.amqp = Objects.requireNonNull(amqp, "amqp");
        this.queues = List.copyOf(queues);
        this.confirmTimeout = Objects.requireNonNull(confirmTimeout, "confirmTimeout");
    }

    public List<String> queues() {
        return queues;
    }

    /**
     * Publishes {@code body} (JSON) to {@code queue}; returns the message id once the broker confirmed it.
     *
     * @throws ApiException QUEUE_NOT_ALLOWED for a queue not configured, MESSAGING_UNAVAILABLE when the broker is
     *                      unreachable, nacks the message or does not confirm it in time
     */
    public UUID publish(String queue, byte[] body, UUID tenantId, String userId) {
        if (!queues.contains(queue)) {
            throw new ApiException(ErrorCode.QUEUE_NOT_ALLOWED, Map.of("queue", queue, "allowed", String.join(", ", queues)));
        }
        UUID id = UUID.randomUUID();
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .messageId(id.toString())
                .contentType("application/json")
                .deliveryMode(2)
                .timestamp(new Date())
                .appId("order-svc")
                .headers(Map.of("x-wizmesh-tenant-id", tenantId.toString(), "x-wizmesh-user-id", userId))
                .build();
        try {
            publisher().publishAndWait("", queue, properties, body, confirmTimeout);
        } catch (AmqpUnavailableException e) {
            LOG.warn("Message to {} not published: {}", queue, e.getMessage());
            closePublisher(); // a channel that failed is not trusted with the next message
            // the broker's address stays in the log: the caller learns what happened, not where the broker is
            throw unavailable(amqp.isConnected() ? "the broker refused a channel" : "not connected to the AMQP broker ("
                    + amqp.state() + ")");
        } catch (IOException e) {
            LOG.warn("Message to {} not confirmed: {}", queue, e.getMessage());
            closePublisher();
            throw unavailable("the broker did not accept the message");
        } catch (TimeoutException e) {
            LOG.warn("Message to {} not confirmed: {}", queue, e.getMessage());
            closePublisher();
            throw unavailable("no confirm from the broker within " + confirmTimeout.toMillis() + " ms; it may or may not have it");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while waiting for the broker's confirm");
        }
        return id;
    }

    private static ApiException unavailable(String reason) {
        return new ApiException(ErrorCode.MESSAGING_UNAVAILABLE, Map.of("reason", reason == null ? "no answer" : reason));
    }

    private synchronized ConfirmedPublisher publisher() {
        if (!amqp.isConnected()) {
            throw new AmqpUnavailableException("not connected to the AMQP broker at " + amqp.where() + " (" + amqp.state() + ")");
        }
        if (publisher != null && !publisher.isOpen()) {
            publisher = null;
        }
        if (publisher == null) {
            ConfirmedPublisher opened = ConfirmedPublisher.open(amqp);
            try {
                for (String queue : queues) {
                    opened.channel().queueDeclare(queue, true, false, false, null);
                }
            } catch (IOException e) {
                opened.close();
                throw new AmqpUnavailableException("cannot declare the message queues: " + e.getMessage(), e);
            }
            publisher = opened;
        }
        return publisher;
    }

    private synchronized void closePublisher() {
        if (publisher != null) {
            publisher.close();
            publisher = null;
        }
    }

    @Override
    public void start() {
        // opened on first use
    }

    @Override
    public void stop() {
        closePublisher();
    }
}
