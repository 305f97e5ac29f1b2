package dev.wizmesh.transactions.fence;

import com.codahale.metrics.MetricRegistry;
import dev.wizmesh.persistence.Database;
import dev.wizmesh.persistence.DatabaseFactory;
import dev.wizmesh.testing.PostgresDatabase;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.util.Duration;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

/**
 * A test class's database as a service would have it: provisioned, migrated (the test business
 * tables as "the service's" schema, the fence as a module schema), audited, and reached by the
 * application role through a pool.
 */
final class FenceDatabase {
    private final PostgresDatabase postgres;
    private final ManagedDataSource pool;
    private final Database database;

    private FenceDatabase(PostgresDatabase postgres, ManagedDataSource pool) {
        this.postgres = postgres;
        this.pool = pool;
        this.database = new Database(pool);
    }

    static FenceDatabase open(PostgresDatabase db, int poolSize) throws Exception {
        DatabaseFactory factory = new DatabaseFactory();
        factory.setUrl(db.urlWithoutCredentials());
        factory.getOwner().setUser(db.username());
        factory.getOwner().setPassword(db.password());
        factory.setUser("wizmesh_app");
        factory.setPassword("wizmesh_app");
        factory.setProvision(true);
        factory.setMigrations(List.of("classpath:db/fence-test"));
        factory.addModuleMigrations("fence", "classpath:db/modules/fence");
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
        ManagedDataSource dataSource = pool.build(new MetricRegistry(), "fence-test");
        dataSource.start();
        FenceDatabase opened = new FenceDatabase(db, dataSource);
        opened.database.audit().verify(); // tx_fence and the test tables all have RLS, as a service's start-up demands
        return opened;
    }

    Database database() {
        return database;
    }

    javax.sql.DataSource dataSource() {
        return pool;
    }

    /** Empties tables as their owner (TRUNCATE is not subject to row-level security): a clean slate per test. */
    void truncate(String... tables) throws Exception {
        try (Connection c = postgres.connection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE " + String.join(", ", tables));
        }
    }

    void close() throws Exception {
        pool.stop();
    }
}
