package dev.wizmesh.cron.scheduler;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.quartz.utils.ConnectionProvider;

/**
 * Hands Quartz connections from a pool of ours (Dropwizard's, built from the {@code database}
 * block): one set of credentials and settings for the whole app, and the pool's metrics and
 * lifecycle are the app's. Quartz's own pools (c3p0, Hikari) are left out.
 */
final class PoolConnectionProvider implements ConnectionProvider {
    private final DataSource pool;

    PoolConnectionProvider(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public void shutdown() {
        // the pool is closed by the app's lifecycle, after the scheduler stopped
    }

    @Override
    public void initialize() {
    }
}
