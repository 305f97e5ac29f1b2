package dev.wizmesh.messaging.deadletter;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import dev.wizmesh.messaging.connection.AmqpConnection;
import dev.wizmesh.messaging.consumer.MessageHeaders;
import dev.wizmesh.messaging.consumer.QueueNames;
import dev.wizmesh.messaging.publish.ConfirmedPublisher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * Looks into a consumer's dead-letter queue ({@code <queue>.dlq}) and sends its messages back.
 *
 * <ul>
 *   <li>{@link #peek}: reads up to {@code max} messages without removing them (got unacked, then returned to
 *       the queue when the channel closes);</li>
 *   <li>{@link #replay}: moves up to {@code max} messages back to {@code <queue>}, each published with a confirm
 *       BEFORE it is acked in the DLQ (a crash in between leaves it in both: the inbox makes the repeat a no-op),
 *       with its attempt count reset and the failure headers removed, so it gets a full set of attempts.</li>
 * </ul>
 * Replay after fixing whatever made the handler fail; a message that still fails ends up in the DLQ again.
 */
public final class DeadLetters {
    public static final int MAX_BATCH = 1_000;

    private final AmqpConnection amqp;
    private final Duration confirmTimeout;

    public DeadLetters(AmqpConnection amqp, Duration confirmTimeout) {
        this.amqp = Objects.requireNonNull(amqp, "amqp");
        this.confirmTimeout = Objects.requireNonNull(confirmTimeout, "confirmTimeout");
    }

    /** Up to {@code max} messages of {@code queue}'s DLQ, oldest first, left in place. */
    public List<DeadLetter> peek(String queue, int max) throws IOException {
        String dlq = QueueNames.deadLetterQueue(queue);
        requireMax(max);
        List<DeadLetter> letters = new ArrayList<>();
        Channel channel = amqp.openChannel();
        try {
            for (int i = 0; i < max; i++) {
                GetResponse response = channel.basicGet(dlq, false);
                if (response == null) {
                    break;
                }
                letters.add(describe(response));
            }
        } finally {
            close(channel); // the unacked messages go back to the DLQ
        }
        return letters;
    }

    /** Moves up to {@code max} messages from {@code queue}'s DLQ back to {@code queue}; returns how many. */
    public int replay(String queue, int max) throws IOException {
        String dlq = QueueNames.deadLetterQueue(queue);
        requireMax(max);
        int replayed = 0;
        Channel channel = amqp.openChannel();
        try (ConfirmedPublisher publisher = ConfirmedPublisher.open(amqp)) {
            for (; replayed < max; replayed++) {
                GetResponse response = channel.basicGet(dlq, false);
                if (response == null) {
                    break;
                }
                AMQP.BasicProperties properties = response.getProps().builder().headers(freshHeaders(response.getProps())).build();
                try {
                    publisher.publishAndWait("", queue, properties, response.getBody(), confirmTimeout);
                } catch (TimeoutException e) {
                    throw new IOException("no confirm for a replayed message of " + dlq + "; it stays in the DLQ", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while replaying " + dlq, e);
                }
                channel.basicAck(response.getEnvelope().getDeliveryTag(), false);
            }
        } finally {
            close(channel);
        }
        return replayed;
    }

    private static Map<String, Object> freshHeaders(AMQP.BasicProperties properties) {
        Map<String, Object> headers = properties.getHeaders() == null ? new HashMap<>() : new HashMap<>(properties.getHeaders());
        for (String failure : List.of(MessageHeaders.ATTEMPT, MessageHeaders.NOT_BEFORE, MessageHeaders.ERROR,
                MessageHeaders.EXCEPTION, MessageHeaders.ATTEMPTS, MessageHeaders.DEAD_LETTERED_AT)) {
            headers.remove(failure);
        }
        return headers; // keeps x-wizmesh-routing-key and traceparent
    }

    private static DeadLetter describe(GetResponse response) {
        Map<String, Object> headers = response.getProps().getHeaders();
        return new DeadLetter(response.getProps().getMessageId(),
                MessageHeaders.string(headers, MessageHeaders.ROUTING_KEY),
                MessageHeaders.number(headers, MessageHeaders.ATTEMPTS, 0),
                MessageHeaders.string(headers, MessageHeaders.EXCEPTION),
                MessageHeaders.string(headers, MessageHeaders.ERROR),
                MessageHeaders.string(headers, MessageHeaders.DEAD_LETTERED_AT),
                new String(response.getBody(), StandardCharsets.UTF_8));
    }

    private static void requireMax(int max) {
        if (max < 1 || max > MAX_BATCH) {
            throw new IllegalArgumentException("max must be 1 to " + MAX_BATCH + ", was " + max);
        }
    }

    private static void close(Channel channel) {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            // gone already; unacked messages are back in the queue either way
        }
    }
}
