package dev.wizmesh.messaging.connection;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's one connection to the broker, kept up for the life of the app.
 *
 * <p>Two mechanisms, because the RabbitMQ client has only one of them:
 * <ul>
 *   <li><b>The first connection</b>: the client's automatic recovery starts only after a connection was once
 *       open; if the broker is down at start-up, {@code newConnection} simply fails. So {@link #start()} never
 *       fails: a daemon thread of ours tries every {@code reconnectInterval} until it gets one, and until then
 *       the app runs degraded (the outbox keeps the events; the health check says what is wrong).</li>
 *   <li><b>Later losses</b>: automatic recovery and topology recovery are on, so the client reconnects on its
 *       own, reopens the channels, redeclares the exchanges, queues and bindings declared on this connection,
 *       and restarts the consumers.</li>
 * </ul>
 *
 * <p>Code that needs the broker registers {@link #whenConnected} (consumers declare and subscribe there) or
 * asks {@link #openChannel()} when it needs one (the relay), which throws {@link AmqpUnavailableException}
 * while disconnected.
 */
public final class AmqpConnection implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(AmqpConnection.class);

    private final ConnectionFactory factory;
    private final String name;
    private final String where;
    private final Duration reconnectInterval;
    private final MessagingMetrics metrics;
    private final Clock clock;
    private final List<Consumer<Connection>> onConnected = new CopyOnWriteArrayList<>();

    private volatile Connection connection;
    private volatile ConnectionState state = ConnectionState.NEW;
    private volatile Instant stateSince;
    private volatile String lastError;
    private ScheduledExecutorService connector;

    /**
     * @param factory           configured by {@link AmqpFactory} (recovery on)
     * @param name              the connection's name in the broker's UI, e.g. the app's name
     * @param where             the broker's address without credentials, for messages
     */
    public AmqpConnection(ConnectionFactory factory, String name, String where, Duration reconnectInterval,
                          MessagingMetrics metrics, Clock clock) {
        this.factory = Objects.requireNonNull(factory, "factory");
        if (!factory.isAutomaticRecoveryEnabled() || !factory.isTopologyRecoveryEnabled()) {
            throw new IllegalArgumentException("the ConnectionFactory must have automatic and topology recovery on");
        }
        this.name = Objects.requireNonNull(name, "name");
        this.where = Objects.requireNonNull(where, "where");
        this.reconnectInterval = Objects.requireNonNull(reconnectInterval, "reconnectInterval");
        if (reconnectInterval.isNegative() || reconnectInterval.isZero()) {
            throw new IllegalArgumentException("reconnectInterval must be positive, was " + reconnectInterval);
        }
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.stateSince = clock.instant();
    }

    /** Exposes {@code messaging_amqp_connected} on {@code registry}. */
    public AmqpConnection withConnectedGauge(com.codahale.metrics.MetricRegistry registry) {
        metrics.connectedGauge(registry, this::state);
        return this;
    }

    @Override
    public synchronized void start() {
        if (connector != null) {
            return;
        }
        setState(ConnectionState.CONNECTING);
        connector = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "amqp-connect-" + name);
            thread.setDaemon(true);
            return thread;
        });
        connector.execute(this::connectOrRetry);
    }

    private void connectOrRetry() {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        Connection opened;
        try {
            opened = factory.newConnection(name);
        } catch (IOException | TimeoutException | RuntimeException e) {
            lastError = describe(e);
            LOG.warn("AMQP broker at {} not reachable ({}); retrying every {} s, running without it meanwhile",
                    where, lastError, reconnectInterval.toSeconds());
            scheduleRetry();
            return;
        }
        synchronized (this) {
            if (state == ConnectionState.CLOSED) {
                closeQuietly(opened);
                return;
            }
            watch(opened);
            connection = opened;
            lastError = null;
            setState(ConnectionState.CONNECTED);
        }
        LOG.info("Connected to AMQP broker at {}", where);
        for (Consumer<Connection> action : onConnected) {
            runConnected(action, opened);
        }
    }

    private void scheduleRetry() {
        ScheduledExecutorService current = connector;
        if (current != null && !current.isShutdown()) {
            current.schedule(this::connectOrRetry, reconnectInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void watch(Connection opened) {
        opened.addShutdownListener(cause -> {
            if (!cause.isInitiatedByApplication() && state != ConnectionState.CLOSED) {
                lastError = describe(cause);
                setState(ConnectionState.RECOVERING);
                LOG.warn("Lost the AMQP connection to {} ({}); recovering", where, lastError);
            }
        });
        ((Recoverable) opened).addRecoveryListener(new RecoveryListener() {
            @Override
            public void handleRecovery(Recoverable recoverable) {
                lastError = null;
                setState(ConnectionState.CONNECTED);
                LOG.info("AMQP connection to {} recovered", where);
            }

            @Override
            public void handleRecoveryStarted(Recoverable recoverable) {
                setState(ConnectionState.RECOVERING);
            }
        });
    }

    /**
     * Runs {@code action} with the connection once it is first open (now, if it already is). It is not run again
     * after a recovery: the client restores the channels, declarations and consumers made on the connection.
     */
    public void whenConnected(Consumer<Connection> action) {
        Objects.requireNonNull(action, "action");
        Connection current;
        synchronized (this) {
            onConnected.add(action);
            current = connection;
        }
        if (current != null) {
            runConnected(action, current);
        }
    }

    private void runConnected(Consumer<Connection> action, Connection opened) {
        try {
            action.accept(opened);
        } catch (RuntimeException e) {
            LOG.error("A start-up action on the AMQP connection to {} failed", where, e);
        }
    }

    /** A new channel; the caller closes it. */
    public Channel openChannel() {
        Connection current = connection;
        if (current == null || !current.isOpen()) {
            throw new AmqpUnavailableException("not connected to the AMQP broker at " + where + " (" + state
                    + (lastError == null ? "" : ": " + lastError) + ")");
        }
        try {
            return current.createChannel();
        } catch (IOException | RuntimeException e) {
            throw new AmqpUnavailableException("cannot open a channel to " + where + ": " + describe(e), e);
        }
    }

    public boolean isConnected() {
        Connection current = connection;
        return state == ConnectionState.CONNECTED && current != null && current.isOpen();
    }

    public ConnectionState state() {
        return state;
    }

    public Instant stateSince() {
        return stateSince;
    }

    /** Why the last attempt or the last connection failed; null when connected. */
    public String lastError() {
        return lastError;
    }

    /** The broker's address without credentials. */
    public String where() {
        return where;
    }

    public Duration reconnectInterval() {
        return reconnectInterval;
    }

    public MessagingMetrics metrics() {
        return metrics;
    }

    @Override
    public void stop() throws InterruptedException {
        Connection current;
        ScheduledExecutorService stopping;
        synchronized (this) {
            setState(ConnectionState.CLOSED);
            current = connection;
            connection = null;
            stopping = connector;
            connector = null;
        }
        if (stopping != null) {
            stopping.shutdownNow();
            stopping.awaitTermination(10, TimeUnit.SECONDS);
        }
        if (current != null) {
            closeQuietly(current);
        }
    }

    private void setState(ConnectionState next) {
        if (state != next) {
            state = next;
            stateSince = clock.instant();
        }
    }

    private static void closeQuietly(Connection opened) {
        try {
            opened.close(5_000);
        } catch (IOException | RuntimeException e) {
            // already gone: nothing left to release
        }
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage();
        return root.getClass().getSimpleName() + message;
    }
}
