package dev.wizmesh.messaging.publish;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import dev.wizmesh.messaging.connection.AmqpConnection;
import dev.wizmesh.messaging.connection.MessagingMetrics;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A channel in confirm mode ({@code confirm.select}) that tells each publish's outcome apart: every publish gets
 * a future, completed when the broker acks that message (it is safely in the queues it was routed to, persisted
 * when durable), failed when the broker nacks it or the channel closes before the confirm arrived. Callers mark
 * a message done (outbox row sent, original delivery acked) only after its future completed.
 *
 * <p>Publishing is synchronized: the sequence number a confirm refers to is the channel's next one at the moment
 * of the publish, so reading it and publishing must not interleave between threads.
 */
public final class ConfirmedPublisher implements AutoCloseable {
    private final Channel channel;
    private final MessagingMetrics metrics;
    private final ConcurrentNavigableMap<Long, CompletableFuture<Void>> pending = new ConcurrentSkipListMap<>();

    private ConfirmedPublisher(Channel channel, MessagingMetrics metrics) throws IOException {
        this.channel = channel;
        this.metrics = metrics;
        channel.confirmSelect();
        channel.addConfirmListener(
                (tag, multiple) -> settle(tag, multiple, null),
                (tag, multiple) -> settle(tag, multiple, new IOException("the broker nacked the message")));
        channel.addShutdownListener(cause -> failAll(cause));
    }

    /** A new channel of {@code connection} in confirm mode. */
    public static ConfirmedPublisher open(AmqpConnection connection) {
        Channel channel = connection.openChannel();
        try {
            return new ConfirmedPublisher(channel, connection.metrics());
        } catch (IOException e) {
            closeQuietly(channel);
            throw new dev.wizmesh.messaging.connection.AmqpUnavailableException("cannot put a channel in confirm mode: " + e, e);
        }
    }

    /** Publishes; the future completes when the broker confirms. A failure to send fails the future. */
    public synchronized CompletableFuture<Void> publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
        long sequence = channel.getNextPublishSeqNo();
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        pending.put(sequence, confirmed);
        try {
            channel.basicPublish(exchange, routingKey, false, properties, body);
            metrics.published().inc();
        } catch (IOException | RuntimeException e) {
            pending.remove(sequence);
            metrics.nacked().inc();
            confirmed.completeExceptionally(e);
        }
        return confirmed;
    }

    /** Publishes and waits for the broker's confirm; throws when it does not come (nack, timeout, channel lost). */
    public void publishAndWait(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body, Duration timeout)
            throws IOException, TimeoutException, InterruptedException {
        await(publish(exchange, routingKey, properties, body), timeout);
    }

    /** Waits for one publish's confirm, counting a timeout as a failure. */
    public void await(CompletableFuture<Void> confirmed, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        try {
            confirmed.get(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            metrics.nacked().inc();
            throw new TimeoutException("no confirm from the broker within " + timeout.toMillis() + " ms");
        }
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    /** The underlying channel, for declarations (not for publishing: that bypasses the bookkeeping). */
    public Channel channel() {
        return channel;
    }

    private void settle(long tag, boolean multiple, IOException failure) {
        ConcurrentNavigableMap<Long, CompletableFuture<Void>> settled = multiple ? pending.headMap(tag, true) : pending.subMap(tag, true, tag, true);
        for (Long sequence : settled.keySet()) {
            CompletableFuture<Void> future = pending.remove(sequence);
            if (future == null) {
                continue;
            }
            if (failure == null) {
                metrics.confirmed().inc();
                future.complete(null);
            } else {
                metrics.nacked().inc();
                future.completeExceptionally(failure);
            }
        }
    }

    private void failAll(ShutdownSignalException cause) {
        // confirms for these will never come on this channel: their messages may or may not be in the broker,
        // so callers treat them as not sent and publish again (consumers deduplicate)
        for (Long sequence : pending.keySet()) {
            CompletableFuture<Void> future = pending.remove(sequence);
            if (future != null) {
                metrics.nacked().inc();
                future.completeExceptionally(new IOException("channel closed before the confirm: " + cause.getMessage(), cause));
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(Channel channel) {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            // closed already, or the connection is gone: nothing to release
        }
    }
}
