package dev.wizmesh.messaging;

import com.codahale.metrics.MetricRegistry;
import dev.wizmesh.persistence.Database;
import dev.wizmesh.persistence.DatabaseFactory;
import dev.wizmesh.testing.PostgresDatabase;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.util.Duration;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

/**
 * A test class's database as a service would have it: provisioned, migrated (the test business tables as the
 * service's own schema, the outbox and inbox as module schemas), audited, and reached by the application role
 * through a pool.
 */
public final class MessagingDatabase {
    private final PostgresDatabase postgres;
    private final ManagedDataSource pool;
    private final Database database;

    private MessagingDatabase(PostgresDatabase postgres, ManagedDataSource pool) {
        this.postgres = postgres;
        this.pool = pool;
        this.database = new Database(pool);
    }

    public static MessagingDatabase open(PostgresDatabase db, int poolSize) throws Exception {
        DatabaseFactory factory = new DatabaseFactory();
        factory.setUrl(db.urlWithoutCredentials());
        factory.getOwner().setUser(db.username());
        factory.getOwner().setPassword(db.password());
        factory.setUser("wizmesh_app");
        factory.setPassword("wizmesh_app");
        factory.setProvision(true);
        factory.setMigrations(List.of("classpath:db/messaging-test"));
        factory.addModuleMigrations("outbox", "classpath:db/modules/outbox");
        factory.addModuleMigrations("inbox", "classpath:db/modules/inbox");
        factory.provisioner().orElseThrow().provision();
        factory.migrations().migrate();

        DataSourceFactory pool = new DataSourceFactory();
        pool.setDriverClass("org.postgresql.Driver");
        pool.setUrl(db.urlWithoutCredentials());
        pool.setUser("wizmesh_app");
        pool.setPassword("wizmesh_app");
        pool.setMaxSize(poolSize);
        pool.setMinSize(1);
        pool.setInitialSize(1);
        pool.setMaxWaitForConnection(Duration.seconds(30));
        ManagedDataSource dataSource = pool.build(new MetricRegistry(), "messaging-test");
        dataSource.start();
        MessagingDatabase opened = new MessagingDatabase(db, dataSource);
        opened.database.audit().verify(); // outbox, processed_messages and the test tables all have RLS
        return opened;
    }

    public Database database() {
        return database;
    }

    /** Empties tables as their owner (TRUNCATE is not subject to row-level security). */
    public void truncate(String... tables) throws Exception {
        try (Connection c = postgres.connection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE " + String.join(", ", tables));
        }
    }

    /** A number the owner reads past row-level security, e.g. {@code SELECT count(*) FROM outbox WHERE ...}. */
    public long count(String sql) throws Exception {
        try (Connection c = postgres.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Runs SQL as the owner (e.g. to age rows). */
    public void execute(String sql) throws Exception {
        try (Connection c = postgres.connection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    public void close() throws Exception {
        pool.stop();
    }
}
