package dev.wizmesh.messaging.connection;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.rabbitmq.client.ConnectionFactory;
import dev.wizmesh.platform.PlatformBundle;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.time.Clock;

/**
 * The {@code amqp:} block of an app's YAML:
 *
 * <pre>{@code
 * amqp:
 *   uri: ${AMQP_URI:-amqp://guest:guest@127.0.0.1:5672/%2F}
 *   prefetch: 20               # unacked deliveries per consumer
 *   reconnectInterval: 5s      # between attempts while the broker is down
 *   connectionTimeout: 5s
 *   heartbeat: 10s
 *   confirmTimeout: 10s        # how long a publish waits for the broker's confirm
 * }</pre>
 *
 * {@link #build} wires the connection into the app: managed (connects in the background, closes at
 * shutdown), a non-critical health check {@code amqp} (the app stays ready without the broker: it runs
 * degraded, events wait in the outbox), and the {@code messaging_*} metrics.
 */
public class AmqpFactory {
    @NotBlank
    private String uri = "amqp://guest:guest@127.0.0.1:5672/%2F";

    @Min(1)
    @Max(10_000)
    private int prefetch = 20;

    @NotNull
    private Duration reconnectInterval = Duration.seconds(5);

    @NotNull
    private Duration connectionTimeout = Duration.seconds(5);

    @NotNull
    private Duration heartbeat = Duration.seconds(10);

    @NotNull
    private Duration confirmTimeout = Duration.seconds(10);

    /** Managed connection, health check {@code amqp} (non-critical), metrics on the app's registry. */
    public AmqpConnection build(Environment environment, PlatformBundle<?> platform, String name) {
        AmqpConnection connection = build(new MessagingMetrics(environment.metrics()), name)
                .withConnectedGauge(environment.metrics());
        environment.lifecycle().manage(connection);
        platform.healthChecks().nonCritical("amqp", new AmqpHealthCheck(connection));
        return connection;
    }

    /** The connection alone, not started, for code without a Dropwizard environment (tests, tools). */
    public AmqpConnection build(MessagingMetrics metrics, String name) {
        return new AmqpConnection(connectionFactory(), name, where(), java.time.Duration.ofMillis(reconnectInterval.toMilliseconds()),
                metrics, Clock.systemUTC());
    }

    /** The client's factory: our URI and timeouts, automatic and topology recovery on. */
    public ConnectionFactory connectionFactory() {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(uri);
        } catch (URISyntaxException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("amqp.uri must look like amqp://user:password@host:port/vhost, got "
                    + where() + ": " + e.getMessage(), e);
        }
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(reconnectInterval.toMilliseconds());
        factory.setConnectionTimeout(Math.toIntExact(connectionTimeout.toMilliseconds()));
        factory.setRequestedHeartbeat(Math.toIntExact(heartbeat.toSeconds()));
        return factory;
    }

    /** The URI without its password, for logs and health messages. */
    public String where() {
        try {
            URI parsed = new URI(uri);
            String user = parsed.getUserInfo() == null ? "" : parsed.getUserInfo().split(":", 2)[0] + "@";
            return parsed.getScheme() + "://" + user + parsed.getHost() + (parsed.getPort() == -1 ? "" : ":" + parsed.getPort())
                    + (parsed.getRawPath() == null ? "" : parsed.getRawPath());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("amqp.uri is not a URI: " + e.getMessage(), e);
        }
    }

    public java.time.Duration confirmTimeoutDuration() {
        return java.time.Duration.ofMillis(confirmTimeout.toMilliseconds());
    }

    /** A consumer's settings from this block: its {@code prefetch} and {@code confirmTimeout}, the default attempts and back-off. */
    public dev.wizmesh.messaging.consumer.QueueConsumer.Settings consumerSettings() {
        dev.wizmesh.messaging.consumer.QueueConsumer.Settings defaults = dev.wizmesh.messaging.consumer.QueueConsumer.Settings.DEFAULT;
        return new dev.wizmesh.messaging.consumer.QueueConsumer.Settings(prefetch, defaults.maxAttempts(), defaults.backoff(),
                confirmTimeoutDuration());
    }

    /** The outbox relay's settings from this block: its {@code confirmTimeout}, the default poll, batch, back-off and retention. */
    public dev.wizmesh.messaging.outbox.OutboxRelay.Settings relaySettings() {
        dev.wizmesh.messaging.outbox.OutboxRelay.Settings defaults = dev.wizmesh.messaging.outbox.OutboxRelay.Settings.DEFAULT;
        return new dev.wizmesh.messaging.outbox.OutboxRelay.Settings(defaults.pollInterval(), defaults.batchSize(), defaults.backoff(),
                confirmTimeoutDuration(), defaults.retention(), defaults.cleanupInterval());
    }

    @JsonProperty
    public String getUri() {
        return uri;
    }

    @JsonProperty
    public void setUri(String uri) {
        this.uri = uri;
    }

    @JsonProperty
    public int getPrefetch() {
        return prefetch;
    }

    @JsonProperty
    public void setPrefetch(int prefetch) {
        this.prefetch = prefetch;
    }

    @JsonProperty
    public Duration getReconnectInterval() {
        return reconnectInterval;
    }

    @JsonProperty
    public void setReconnectInterval(Duration reconnectInterval) {
        this.reconnectInterval = reconnectInterval;
    }

    @JsonProperty
    public Duration getConnectionTimeout() {
        return connectionTimeout;
    }

    @JsonProperty
    public void setConnectionTimeout(Duration connectionTimeout) {
        this.connectionTimeout = connectionTimeout;
    }

    @JsonProperty
    public Duration getHeartbeat() {
        return heartbeat;
    }

    @JsonProperty
    public void setHeartbeat(Duration heartbeat) {
        this.heartbeat = heartbeat;
    }

    @JsonProperty
    public Duration getConfirmTimeout() {
        return confirmTimeout;
    }

    @JsonProperty
    public void setConfirmTimeout(Duration confirmTimeout) {
        this.confirmTimeout = confirmTimeout;
    }
}
