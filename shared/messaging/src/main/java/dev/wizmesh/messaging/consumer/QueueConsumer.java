package dev.wizmesh.messaging.consumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import dev.wizmesh.messaging.Backoff;
import dev.wizmesh.messaging.connection.AmqpConnection;
import dev.wizmesh.messaging.connection.MessagingMetrics;
import dev.wizmesh.messaging.event.Event;
import dev.wizmesh.messaging.event.EventExchange;
import dev.wizmesh.messaging.event.EventJson;
import dev.wizmesh.messaging.event.MalformedEventException;
import dev.wizmesh.messaging.publish.ConfirmedPublisher;
import dev.wizmesh.persistence.Database;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one durable queue bound to {@code wizmesh.events}, and hands each event to a {@link MessageHandler}.
 *
 * <p><b>Set-up</b> (once connected): declares the exchange, the queue and {@code <queue>.dlq} (durable, no
 * arguments), binds the queue with the given keys, sets the prefetch (at most that many unacked deliveries at
 * once), and consumes with manual acks.
 *
 * <p><b>Each delivery</b>, on the consumer's own thread, one at a time:
 * <ul>
 *   <li>handled in a transaction of the event's tenant together with the {@link Inbox} insert of its id; a
 *       repeat is acked without running the handler; success is acked after the commit;</li>
 *   <li>on failure, while attempts remain: a copy goes back to the same queue (default exchange) with
 *       {@code x-wizmesh-attempt} + 1 and {@code x-wizmesh-not-before} = now + back-off, published WITH A
 *       CONFIRM, and only then is the original acked. A process that dies in between leaves the original
 *       unacked, so the broker redelivers it: a message is never lost, at worst handled by two copies (the inbox
 *       makes the second a no-op). A copy that arrives before its time is held, unacked, until it is due;</li>
 *   <li>after {@code maxAttempts} (or at once for a message that is not an event envelope): a copy goes to
 *       {@code <queue>.dlq} with the error, exception class, attempt count, original routing key and queue as
 *       headers, confirmed, then the original is acked. This is the consumer's own dead-lettering: no
 *       {@code x-dead-letter-exchange}, no per-message TTL, nothing RabbitMQ-only.</li>
 * </ul>
 */
public final class QueueConsumer implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(QueueConsumer.class);
    private static final int MAX_ERROR_LENGTH = 1_000;

    /**
     * @param prefetch       unacked deliveries at once (delayed retries held count too)
     * @param maxAttempts    deliveries of one message before it is dead-lettered (1 = no retry)
     * @param backoff        between attempts
     * @param confirmTimeout how long a retry or dead-letter publish waits for the broker's confirm
     */
    public record Settings(int prefetch, int maxAttempts, Backoff backoff, Duration confirmTimeout) {
        public static final Settings DEFAULT = new Settings(20, 5, Backoff.DEFAULT, Duration.ofSeconds(10));

        public Settings {
            if (prefetch < 1 || prefetch > 10_000) {
                throw new IllegalArgumentException("prefetch must be 1 to 10000, was " + prefetch);
            }
            if (maxAttempts < 1 || maxAttempts > 1_000) {
                throw new IllegalArgumentException("maxAttempts must be 1 to 1000, was " + maxAttempts);
            }
            Objects.requireNonNull(backoff, "backoff is required");
            Objects.requireNonNull(confirmTimeout, "confirmTimeout is required");
            if (confirmTimeout.isNegative() || confirmTimeout.isZero()) {
                throw new IllegalArgumentException("confirmTimeout must be positive, was " + confirmTimeout);
            }
        }
    }

    private final AmqpConnection amqp;
    private final Database database;
    private final String queue;
    private final List<String> bindings;
    private final MessageHandler handler;
    private final Settings settings;
    private final Clock clock;
    private final Inbox inbox;
    private final MessagingMetrics metrics;

    private ScheduledThreadPoolExecutor worker;
    private volatile Channel channel;
    private volatile ConfirmedPublisher publisher;
    private volatile String consumerTag;

    public QueueConsumer(AmqpConnection amqp, Database database, String queue, List<String> bindings, MessageHandler handler,
                         Settings settings, Clock clock) {
        this.amqp = Objects.requireNonNull(amqp, "amqp");
        this.database = Objects.requireNonNull(database, "database");
        this.queue = QueueNames.requireValidQueue(queue);
        Objects.requireNonNull(bindings, "bindings");
        if (bindings.isEmpty()) {
            throw new IllegalArgumentException("queue " + queue + " needs at least one binding key (an event type such as 'order.created')");
        }
        bindings.forEach(QueueNames::requireValidBinding);
        this.bindings = List.copyOf(bindings);
        this.handler = Objects.requireNonNull(handler, "handler");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.inbox = new Inbox(clock);
        this.metrics = amqp.metrics();
    }

    public String queue() {
        return queue;
    }

    public String deadLetterQueue() {
        return QueueNames.deadLetterQueue(queue);
    }

    @Override
    public synchronized void start() {
        if (worker != null) {
            return;
        }
        worker = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "consumer-" + queue);
            thread.setDaemon(true);
            return thread;
        });
        // at stop, held (delayed) messages are dropped: unacked, the broker redelivers them
        worker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        ScheduledThreadPoolExecutor current = worker;
        amqp.whenConnected(connection -> current.execute(this::subscribe));
    }

    private void subscribe() {
        Channel opened = null;
        try {
            opened = amqp.openChannel();
            opened.basicQos(settings.prefetch());
            EventExchange.declare(opened);
            opened.queueDeclare(queue, true, false, false, null);
            opened.queueDeclare(deadLetterQueue(), true, false, false, null);
            for (String key : bindings) {
                opened.queueBind(queue, EventExchange.NAME, key);
            }
            publisher = ConfirmedPublisher.open(amqp);
            Channel consuming = opened;
            channel = consuming;
            consumerTag = consuming.basicConsume(queue, false,
                    (tag, delivery) -> onDelivery(consuming, delivery),
                    tag -> LOG.warn("The broker cancelled the consumer of {} (queue deleted?)", queue));
            LOG.info("Consuming {} (bindings {}, prefetch {})", queue, bindings, settings.prefetch());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot set up the consumer of {} ({}); trying again in {} s", queue, e.getMessage(),
                    amqp.reconnectInterval().toSeconds());
            closeQuietly(opened);
            ScheduledThreadPoolExecutor current = worker;
            if (current != null && !current.isShutdown()) {
                current.schedule(this::subscribe, amqp.reconnectInterval().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** On the client's dispatch thread: hand over to our worker, now or when the copy is due. */
    private void onDelivery(Channel from, Delivery delivery) {
        ScheduledThreadPoolExecutor current = worker;
        if (current == null || current.isShutdown()) {
            return; // stopping: left unacked, redelivered to whoever consumes next
        }
        long wait = MessageHeaders.notBefore(delivery.getProperties().getHeaders()).toEpochMilli() - clock.millis();
        if (wait > 0) {
            current.schedule(() -> process(from, delivery), wait, TimeUnit.MILLISECONDS);
        } else {
            current.execute(() -> process(from, delivery));
        }
    }

    private void process(Channel from, Delivery delivery) {
        Map<String, Object> headers = delivery.getProperties().getHeaders();
        int attempt = (int) Math.max(1, MessageHeaders.number(headers, MessageHeaders.ATTEMPT, 1));
        Event event;
        try {
            event = EventJson.parse(delivery.getBody());
        } catch (MalformedEventException e) {
            LOG.warn("Dead-lettering a malformed message from {}: {}", queue, e.getMessage());
            deadLetter(from, delivery, attempt, e);
            return;
        }
        try {
            boolean first = database.tenants().inTenant(event.tenantId(), h -> {
                if (!inbox.firstDelivery(h, queue, event.tenantId(), event.id())) {
                    return false;
                }
                handler.handle(h, event);
                return true;
            });
            (first ? metrics.consumed() : metrics.duplicates()).inc();
            ack(from, delivery);
        } catch (Exception e) {
            if (attempt >= settings.maxAttempts()) {
                LOG.warn("Event {} ({}) failed in {} on attempt {} of {}; dead-lettering it", event.id(), event.type(), queue,
                        attempt, settings.maxAttempts(), e);
                deadLetter(from, delivery, attempt, e);
            } else {
                LOG.info("Event {} ({}) failed in {} on attempt {} of {}: {}; retrying", event.id(), event.type(), queue, attempt,
                        settings.maxAttempts(), e.toString());
                retry(from, delivery, attempt, e);
            }
        }
    }

    private void retry(Channel from, Delivery delivery, int attempt, Exception failure) {
        Duration delay = settings.backoff().delayAfter(attempt);
        Map<String, Object> headers = failureHeaders(delivery, failure);
        headers.put(MessageHeaders.ATTEMPT, attempt + 1);
        headers.put(MessageHeaders.NOT_BEFORE, clock.instant().plus(delay).toEpochMilli());
        if (republish(from, delivery, queue, headers)) {
            metrics.retried().inc();
        }
    }

    private void deadLetter(Channel from, Delivery delivery, int attempt, Exception failure) {
        Map<String, Object> headers = failureHeaders(delivery, failure);
        headers.remove(MessageHeaders.NOT_BEFORE);
        headers.put(MessageHeaders.ATTEMPTS, attempt);
        headers.put(MessageHeaders.DEAD_LETTERED_AT, clock.instant().toString());
        if (republish(from, delivery, deadLetterQueue(), headers)) {
            metrics.deadLettered().inc();
        }
    }

    /** Publishes the copy with a confirm, then acks the original; if the copy fails, the original comes back later. */
    private boolean republish(Channel from, Delivery delivery, String targetQueue, Map<String, Object> headers) {
        AMQP.BasicProperties properties = delivery.getProperties().builder().headers(headers).deliveryMode(2).build();
        try {
            ConfirmedPublisher current = publisher;
            if (current == null || !current.isOpen()) {
                throw new IOException("no open publishing channel");
            }
            current.publishAndWait("", targetQueue, properties, delivery.getBody(), settings.confirmTimeout());
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.warn("Could not move a message of {} to {} ({}); it stays unacked and is tried again", queue, targetQueue,
                    e.getMessage());
            requeueLater(from, delivery);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false; // stopping: unacked, so redelivered later
        }
        ack(from, delivery);
        return true;
    }

    private Map<String, Object> failureHeaders(Delivery delivery, Exception failure) {
        Map<String, Object> original = delivery.getProperties().getHeaders();
        Map<String, Object> headers = original == null ? new HashMap<>() : new HashMap<>(original);
        headers.putIfAbsent(MessageHeaders.ROUTING_KEY, delivery.getEnvelope().getRoutingKey());
        headers.put(MessageHeaders.QUEUE, queue);
        headers.put(MessageHeaders.EXCEPTION, failure.getClass().getName());
        String message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        headers.put(MessageHeaders.ERROR, message.length() <= MAX_ERROR_LENGTH ? message : message.substring(0, MAX_ERROR_LENGTH));
        return headers;
    }

    private void requeueLater(Channel from, Delivery delivery) {
        ScheduledThreadPoolExecutor current = worker;
        if (current == null || current.isShutdown()) {
            return;
        }
        // not at once: the broker would hand it straight back while whatever failed is still failing
        current.schedule(() -> {
            try {
                from.basicNack(delivery.getEnvelope().getDeliveryTag(), false, true);
            } catch (IOException | RuntimeException e) {
                LOG.debug("Could not requeue a delivery of {} ({}); the broker redelivers it when the channel closes", queue,
                        e.getMessage());
            }
        }, settings.backoff().initial().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void ack(Channel from, Delivery delivery) {
        try {
            from.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
        } catch (IOException | RuntimeException e) {
            // the channel went away: the broker redelivers the message, and the inbox makes that a no-op
            LOG.warn("Could not ack a delivery of {} ({}); it will be redelivered and skipped as a duplicate", queue,
                    e.getMessage());
        }
    }

    @Override
    public void stop() throws InterruptedException {
        ScheduledThreadPoolExecutor stopping;
        synchronized (this) {
            stopping = worker;
            worker = null;
        }
        Channel consuming = channel;
        String tag = consumerTag;
        if (consuming != null && tag != null) {
            try {
                consuming.basicCancel(tag); // no new deliveries; the current one finishes below
            } catch (IOException | RuntimeException e) {
                // the channel is gone already
            }
        }
        if (stopping != null) {
            stopping.shutdown();
            if (!stopping.awaitTermination(settings.confirmTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
                stopping.shutdownNow();
            }
        }
        ConfirmedPublisher current = publisher;
        if (current != null) {
            current.close();
        }
        closeQuietly(consuming); // unacked (held) deliveries go back to the queue
    }

    private static void closeQuietly(Channel opened) {
        if (opened != null) {
            try {
                if (opened.isOpen()) {
                    opened.close();
                }
            } catch (IOException | TimeoutException | RuntimeException e) {
                // gone already
            }
        }
    }
}
