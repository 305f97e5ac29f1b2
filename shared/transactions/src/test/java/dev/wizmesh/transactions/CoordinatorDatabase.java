package dev.wizmesh.transactions;

import com.codahale.metrics.MetricRegistry;
import dev.wizmesh.persistence.Database;
import dev.wizmesh.persistence.DatabaseFactory;
import dev.wizmesh.testing.PostgresDatabase;
import io.dropwizard.db.ManagedDataSource;
import java.util.List;
import java.util.UUID;

/** A coordinating service's database for tests: its test_orders and the transaction log, migrated as a service does. */
final class CoordinatorDatabase {
    private final ManagedDataSource dataSource;
    private final Database database;

    private CoordinatorDatabase(ManagedDataSource dataSource) {
        this.dataSource = dataSource;
        this.database = new Database(dataSource);
    }

    static CoordinatorDatabase open(PostgresDatabase db) throws Exception {
        DatabaseFactory factory = new DatabaseFactory();
        factory.setUrl(db.urlWithoutCredentials());
        factory.getOwner().setUser(db.username());
        factory.getOwner().setPassword(db.password());
        factory.setUser("wizmesh_app");
        factory.setPassword("wizmesh_app");
        factory.setProvision(true);
        factory.setMigrations(List.of("classpath:db/coordinator-test"));
        factory.addModuleMigrations("transactions", "classpath:db/modules/transactions");
        factory.setMaxPoolSize(24);
        factory.provisioner().orElseThrow().provision();
        factory.migrations().migrate();
        ManagedDataSource dataSource = factory.pool().build(new MetricRegistry(), "coordinator-test");
        dataSource.start();
        return new CoordinatorDatabase(dataSource);
    }

    Database database() {
        return database;
    }

    void insertOrder(org.jdbi.v3.core.Handle h, UUID tenant, UUID order) {
        h.createUpdate("INSERT INTO test_orders (id, tenant_id) VALUES (:id, :tenant)")
                .bind("id", order).bind("tenant", tenant).execute();
    }

    static void settle(org.jdbi.v3.core.Handle h, UUID order, String status, String reason) {
        h.createUpdate("UPDATE test_orders SET status = :status, reason = :reason WHERE id = :id AND status = 'PENDING'")
                .bind("id", order).bind("status", status).bind("reason", reason).execute();
    }

    String orderStatus(UUID tenant, UUID order) {
        return database.tenants().inTenant(tenant, h -> h.createQuery("SELECT status || coalesce('/' || reason, '') FROM test_orders WHERE id = :id")
                .bind("id", order).mapTo(String.class).one());
    }

    void close() throws Exception {
        dataSource.stop();
    }
}
