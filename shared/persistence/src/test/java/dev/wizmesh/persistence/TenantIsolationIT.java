package dev.wizmesh.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wizmesh.persistence.tenancy.TenantGuard;
import dev.wizmesh.testing.PostgresDatabase;
import dev.wizmesh.testing.PostgresExtension;
import io.dropwizard.db.ManagedDataSource;
import com.codahale.metrics.MetricRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Both halves of tenant isolation against a real PostgreSQL: the Java guard and row-level security. */
class TenantIsolationIT {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    static final UUID TENANT_A = UUID.randomUUID();
    static final UUID TENANT_B = UUID.randomUUID();

    static DatabaseFactory factory;
    static ManagedDataSource dataSource;
    static Database database;

    @BeforeAll
    static void migrate() throws Exception {
        PostgresDatabase db = POSTGRES.database();
        factory = new DatabaseFactory();
        factory.setUrl(db.urlWithoutCredentials());
        factory.getOwner().setUser(db.username());
        factory.getOwner().setPassword(db.password());
        factory.setUser("wizmesh_app");
        factory.setPassword("wizmesh_app");
        factory.setProvision(true);
        factory.setMigrations(List.of("classpath:db/notes"));
        factory.setMaxPoolSize(1); // one pooled connection: every transaction below reuses it
        factory.setMinPoolSize(1);
        factory.provisioner().orElseThrow().provision();
        factory.migrations().migrate();
        dataSource = factory.pool().build(new MetricRegistry(), "test");
        dataSource.start();
        database = new Database(dataSource);
        insert(TENANT_A, "a1");
        insert(TENANT_A, "a2");
        insert(TENANT_B, "b1");
    }

    @AfterAll
    static void close() throws Exception {
        dataSource.stop();
    }

    static void insert(UUID tenant, String body) {
        database.tenants().inTenant(tenant, h -> h.createUpdate("INSERT INTO notes VALUES (:id, :tenant, :body)")
                .bind("id", UUID.randomUUID()).bind("tenant", tenant).bind("body", body).execute());
    }

    static List<String> rawSelect(org.jdbi.v3.core.Handle h) {
        // deliberately unscoped: no WHERE tenant_id = ...
        return h.createQuery("SELECT body FROM notes ORDER BY body").mapTo(String.class).list();
    }

    @Test
    void anUnscopedSelectInsideATenantTransactionSeesOnlyThatTenantsRows() {
        assertThat(database.tenants().inTenant(TENANT_A, TenantIsolationIT::rawSelect)).containsExactly("a1", "a2");
        assertThat(database.tenants().inTenant(TENANT_B, TenantIsolationIT::rawSelect)).containsExactly("b1");
    }

    @Test
    void withNoTenantSetNoRowIsVisible() {
        assertThat(database.unscoped().inTransaction(TenantIsolationIT::rawSelect)).isEmpty();
    }

    @Test
    void writingAnotherTenantsRowInsideATenantTransactionIsRefused() {
        assertThatThrownBy(() -> database.tenants().inTenant(TENANT_A, h ->
                h.createUpdate("INSERT INTO notes VALUES (:id, :tenant, 'smuggled')")
                        .bind("id", UUID.randomUUID()).bind("tenant", TENANT_B).execute()))
                .isInstanceOf(UnableToExecuteStatementException.class)
                .hasMessageContaining("row-level security");
        // nor can a row be moved to another tenant
        assertThatThrownBy(() -> database.tenants().inTenant(TENANT_A, h ->
                h.createUpdate("UPDATE notes SET tenant_id = :b").bind("b", TENANT_B).execute()))
                .hasMessageContaining("row-level security");
        assertThat(database.tenants().inTenant(TENANT_B, TenantIsolationIT::rawSelect)).containsExactly("b1");
    }

    @Test
    void onePooledConnectionUsedForAThenBLeaksNothing() {
        String first = database.tenants().inTenant(TENANT_A, h -> backendPid(h) + "/" + setting(h));
        String between = database.unscoped().inTransaction(h -> backendPid(h) + "/" + setting(h));
        String second = database.tenants().inTenant(TENANT_B, h -> backendPid(h) + "/" + setting(h));
        String pid = first.split("/")[0];
        // the same server connection all three times (pool of one) ...
        assertThat(between).startsWith(pid + "/");
        assertThat(second).startsWith(pid + "/");
        // ... carrying each transaction's tenant only while it lasts
        assertThat(first).endsWith("/" + TENANT_A);
        assertThat(between).isEqualTo(pid + "/");
        assertThat(second).endsWith("/" + TENANT_B);
        assertThat(database.tenants().inTenant(TENANT_B, TenantIsolationIT::rawSelect)).containsExactly("b1");
    }

    @Test
    void theApplicationRoleOwnsNothingAndCannotBypassRowLevelSecurity() {
        Boolean bypass = database.unscoped().inTransaction(h -> h.createQuery(
                "SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = current_user").mapTo(Boolean.class).one());
        String owner = database.unscoped().inTransaction(h -> h.createQuery(
                "SELECT tableowner FROM pg_tables WHERE tablename = 'notes'").mapTo(String.class).one());
        assertThat(bypass).isFalse();
        assertThat(owner).isNotEqualTo("wizmesh_app");
        assertThatThrownBy(() -> database.unscoped().inTransaction(h -> h.execute("ALTER TABLE notes DISABLE ROW LEVEL SECURITY")))
                .hasMessageContaining("must be owner");
        assertThatThrownBy(() -> database.unscoped().inTransaction(h -> h.execute("DELETE FROM flyway_schema_history")))
                .hasMessageContaining("permission denied");
    }

    @Test
    void aStatementOutsideAScopedTransactionIsRefusedBeforeItReachesTheDatabase() {
        Jdbi raw = Jdbi.create(dataSource);
        TenantGuard.install(raw);
        assertThatThrownBy(() -> raw.withHandle(TenantIsolationIT::rawSelect))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("outside a tenant transaction");
    }

    @Test
    void theAuditNamesATenantOwnedTableWithoutRowLevelSecurity() throws Exception {
        assertThat(database.audit().unprotectedTables()).isEmpty();
        try (Connection owner = POSTGRES.database().connection(); Statement s = owner.createStatement()) {
            s.execute("CREATE TABLE careless (id int, tenant_id uuid NOT NULL)");
            try {
                assertThat(database.audit().unprotectedTables())
                        .containsExactly("careless: RLS not enabled, RLS not forced, no policy");
                assertThatThrownBy(() -> database.audit().verify()).hasMessageContaining("careless");
            } finally {
                s.execute("DROP TABLE careless");
            }
        }
    }

    @Test
    void provisioningCreatesAMissingDatabaseAndIsIdempotent() throws Exception {
        var server = dev.wizmesh.testing.PostgresExtension.sharedServer();
        String name = dev.wizmesh.testing.UniqueNames.next();
        DatabaseFactory fresh = new DatabaseFactory();
        fresh.setUrl(server.database(name).urlWithoutCredentials());
        fresh.getOwner().setUser(server.username());
        fresh.getOwner().setPassword(server.password());
        fresh.setProvision(true);
        fresh.setMigrations(List.of("classpath:db/notes"));
        try {
            fresh.provisioner().orElseThrow().provision();
            fresh.provisioner().orElseThrow().provision();
            assertThat(fresh.migrations().migrate()).isEqualTo(1);
        } finally {
            server.dropDatabase(name);
        }
    }

    @Test
    void migratingAgainIsANoOp() {
        assertThat(factory.migrations().migrate()).isZero();
    }

    private static String backendPid(org.jdbi.v3.core.Handle h) {
        return h.createQuery("SELECT pg_backend_pid()").mapTo(String.class).one();
    }

    private static String setting(org.jdbi.v3.core.Handle h) {
        return h.createQuery("SELECT coalesce(current_setting('app.tenant_id', true), '')").mapTo(String.class).one();
    }
}
