package dev.wizmesh.messaging.connection;

import com.codahale.metrics.health.HealthCheck;

/**
 * Healthy when the connection is open. Unhealthy says plainly what that means for the app: it runs degraded
 * (events wait in the outbox, nothing is consumed), since when, why, and that it keeps reconnecting.
 */
public final class AmqpHealthCheck extends HealthCheck {
    private final AmqpConnection connection;

    public AmqpHealthCheck(AmqpConnection connection) {
        this.connection = connection;
    }

    @Override
    protected Result check() {
        if (connection.isConnected()) {
            return Result.healthy("connected to " + connection.where());
        }
        String why = connection.lastError() == null ? "" : " (" + connection.lastError() + ")";
        return Result.unhealthy("not connected to the AMQP broker at " + connection.where() + ": "
                + connection.state() + " since " + connection.stateSince() + why
                + "; reconnecting in the background; events wait in the outbox and nothing is consumed meanwhile");
    }
}
