package dev.wizmesh.messaging.outbox;

import com.fasterxml.jackson.core.type.TypeReference;
import com.rabbitmq.client.AMQP;
import dev.wizmesh.messaging.Backoff;
import dev.wizmesh.messaging.connection.AmqpConnection;
import dev.wizmesh.messaging.connection.AmqpUnavailableException;
import dev.wizmesh.messaging.event.EventExchange;
import dev.wizmesh.messaging.event.EventJson;
import dev.wizmesh.messaging.publish.ConfirmedPublisher;
import dev.wizmesh.persistence.Database;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes committed outbox rows to {@code wizmesh.events}, on a daemon thread of its own.
 *
 * <p>One pass ({@link #relayOnce()}), in ONE database transaction of the relay's (see the {@code relay_*}
 * policies in V1__outbox.sql):
 * <ol>
 *   <li>claim up to {@code batchSize} due rows with {@code FOR UPDATE SKIP LOCKED}, each the oldest unsent row of
 *       its aggregate (so an aggregate's later event waits for its earlier one; several relays never take the
 *       same row: the second skips what the first holds);</li>
 *   <li>publish them all on a channel in confirm mode, persistent, message-id = event id;</li>
 *   <li>wait for each confirm; mark confirmed rows sent; a nack, a timeout or a lost channel counts a failed
 *       attempt instead, with the next attempt after an exponential back-off and the error kept;</li>
 *   <li>commit, releasing the rows.</li>
 * </ol>
 * A relay that dies between the confirm and the commit leaves its rows unsent: another pass publishes them
 * again. Delivery is therefore at least once, and consumers deduplicate on the event id.
 *
 * <p>While the broker is down the relay does nothing (rows wait, unclaimed, with no attempts counted). Sent
 * rows older than {@code retention} are deleted every {@code cleanupInterval}.
 */
public final class OutboxRelay implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int DELETE_BATCH = 1_000;
    private static final TypeReference<Map<String, Object>> HEADERS = new TypeReference<>() {
    };

    /**
     * @param pollInterval    pause between passes when the last one found nothing
     * @param batchSize       rows claimed per pass
     * @param backoff         between failed publishes of one row
     * @param confirmTimeout  how long a pass waits for the broker's confirms
     * @param retention       how long sent rows stay (for inspection) before they are deleted
     * @param cleanupInterval how often the retention runs
     */
    public record Settings(Duration pollInterval, int batchSize, Backoff backoff, Duration confirmTimeout, Duration retention,
                           Duration cleanupInterval) {
        public static final Settings DEFAULT = new Settings(Duration.ofMillis(500), 100, Backoff.DEFAULT, Duration.ofSeconds(10),
                Duration.ofDays(1), Duration.ofMinutes(1));

        public Settings {
            requirePositive(pollInterval, "pollInterval");
            requirePositive(confirmTimeout, "confirmTimeout");
            requirePositive(retention, "retention");
            requirePositive(cleanupInterval, "cleanupInterval");
            Objects.requireNonNull(backoff, "backoff is required");
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("batchSize must be 1 to 10000, was " + batchSize);
            }
        }
    }

    private final Database database;
    private final AmqpConnection amqp;
    private final Settings settings;
    private final Clock clock;
    private final String name;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();

    /** One pass at a time (the scheduled thread, a test calling relayOnce); never held while stopping. */
    private final Object passLock = new Object();
    private ConfirmedPublisher publisher;
    private ScheduledExecutorService thread;
    private volatile Instant lastCleanup = Instant.EPOCH;

    public OutboxRelay(Database database, AmqpConnection amqp, Settings settings, Clock clock) {
        this(database, amqp, settings, clock, "outbox-relay");
    }

    /** @param name the thread's name (two relays in one JVM, as in tests, tell apart in a thread dump) */
    public OutboxRelay(Database database, AmqpConnection amqp, Settings settings, Clock clock, String name) {
        this.database = Objects.requireNonNull(database, "database");
        this.amqp = Objects.requireNonNull(amqp, "amqp");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public synchronized void start() {
        if (thread == null) {
            thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread t = new Thread(runnable, name);
                t.setDaemon(true);
                return t;
            });
            thread.scheduleWithFixedDelay(this::drainLogged, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void stop() throws InterruptedException {
        ScheduledExecutorService stopping;
        synchronized (this) {
            stopping = thread;
            thread = null;
        }
        if (stopping != null) {
            stopping.shutdown();
            if (!stopping.awaitTermination(settings.confirmTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
                stopping.shutdownNow();
            }
        }
        closePublisher();
    }

    private void drainLogged() {
        try {
            // keep going while passes find work; pause a poll interval once the outbox is drained
            while (!Thread.currentThread().isInterrupted() && relayOnce() > 0) {
                // next batch at once
            }
            Instant now = clock.instant();
            if (now.isAfter(lastCleanup.plus(settings.cleanupInterval()))) {
                deleteSentRows();
                lastCleanup = now;
            }
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again: log and try next time
            LOG.warn("Outbox relay pass failed; retrying in {} ms", settings.pollInterval().toMillis(), e);
        }
    }

    /**
     * One pass: claims, publishes and settles up to {@code batchSize} rows; returns how many it claimed (0 when
     * there was nothing due or the broker is unreachable).
     */
    public int relayOnce() {
        synchronized (passLock) {
            return relayPass();
        }
    }

    private int relayPass() {
        if (!amqp.isConnected()) {
            // also while the client recovers: it redeclares queues and bindings before it reports CONNECTED, and a
            // publish before that could find no queue bound and be dropped (though confirmed)
            return 0;
        }
        ConfirmedPublisher channel;
        try {
            channel = publisher();
        } catch (AmqpUnavailableException e) {
            LOG.debug("Outbox relay waiting for the broker: {}", e.getMessage());
            return 0;
        }
        return database.unscoped().inTransaction(h -> {
            OutboxDao dao = h.attach(OutboxDao.class);
            dao.enableRelay();
            Instant now = clock.instant();
            List<OutboxRow> rows = dao.claimDue(now, settings.batchSize());
            List<CompletableFuture<Void>> confirms = new ArrayList<>(rows.size());
            for (OutboxRow row : rows) {
                confirms.add(channel.publish(EventExchange.NAME, row.type(), properties(row),
                        row.payload().getBytes(StandardCharsets.UTF_8)));
            }
            long deadline = System.nanoTime() + settings.confirmTimeout().toNanos();
            for (int i = 0; i < rows.size(); i++) {
                OutboxRow row = rows.get(i);
                try {
                    channel.await(confirms.get(i), Duration.ofNanos(deadline - System.nanoTime()));
                    dao.markSent(row.id(), clock.instant());
                    sent.incrementAndGet();
                } catch (IOException | TimeoutException e) {
                    Duration delay = settings.backoff().delayAfter(row.attempts() + 1);
                    dao.markFailed(row.id(), clock.instant().plus(delay), truncate(e.toString()));
                    failed.incrementAndGet();
                    LOG.warn("Outbox event {} ({}) not confirmed (attempt {}): {}; next attempt in {} ms", row.id(), row.type(),
                            row.attempts() + 1, e.getMessage(), delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    // rolls back the whole pass: every claimed row stays unsent and is published again later
                    throw new IllegalStateException("outbox relay interrupted while waiting for confirms", e);
                }
            }
            return rows.size();
        });
    }

    /** Deletes sent rows older than the retention; returns how many. */
    public int deleteSentRows() {
        Instant cutoff = clock.instant().minus(settings.retention());
        int total = 0;
        int batch;
        do {
            batch = database.unscoped().inTransaction(h -> {
                OutboxDao dao = h.attach(OutboxDao.class);
                dao.enableRelay();
                return dao.deleteSentBefore(cutoff, DELETE_BATCH);
            });
            total += batch;
        } while (batch == DELETE_BATCH);
        deleted.addAndGet(total);
        return total;
    }

    private ConfirmedPublisher publisher() {
        if (publisher != null && !publisher.isOpen()) {
            closePublisher(); // a channel error (e.g. the exchange vanished) closes a channel for good
        }
        if (publisher == null) {
            ConfirmedPublisher opened = ConfirmedPublisher.open(amqp);
            try {
                EventExchange.declare(opened.channel());
            } catch (IOException e) {
                opened.close();
                throw new AmqpUnavailableException("cannot declare " + EventExchange.NAME + ": " + e.getMessage(), e);
            }
            publisher = opened;
        }
        return publisher;
    }

    private void closePublisher() {
        synchronized (passLock) {
            if (publisher != null) {
                publisher.close();
                publisher = null;
            }
        }
    }

    private static AMQP.BasicProperties properties(OutboxRow row) {
        Map<String, Object> headers = new HashMap<>();
        try {
            headers.putAll(EventJson.mapper().readValue(row.headers(), HEADERS));
        } catch (IOException e) {
            LOG.warn("Outbox event {} has unreadable headers; publishing without them", row.id());
        }
        return new AMQP.BasicProperties.Builder()
                .messageId(row.id().toString())
                .type(row.type())
                .contentType("application/json")
                .contentEncoding("utf-8")
                .deliveryMode(2) // persistent: survives a broker restart in a durable queue
                .timestamp(new Date())
                .headers(headers)
                .build();
    }

    private static String truncate(String error) {
        return error.length() <= 2_000 ? error : error.substring(0, 2_000);
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name + " is required");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    /** Rows published and confirmed by this relay. */
    public long sent() {
        return sent.get();
    }

    /** Publishes of this relay that were not confirmed (nack, timeout, lost channel). */
    public long failed() {
        return failed.get();
    }

    /** Sent rows deleted after their retention. */
    public long deleted() {
        return deleted.get();
    }
}
