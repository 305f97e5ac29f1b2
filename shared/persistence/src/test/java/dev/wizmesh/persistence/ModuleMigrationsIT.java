package dev.wizmesh.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wizmesh.testing.PostgresDatabase;
import dev.wizmesh.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A shared module's schema (the transaction log, the TCC fence) beside the service's own: both
 * start at V1, each has its own history table, the app role gets its grants on both, and a second
 * run applies nothing.
 */
class ModuleMigrationsIT {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @Test
    void aModuleKeepsItsOwnHistoryBesideTheServices() throws Exception {
        PostgresDatabase db = POSTGRES.database();
        DatabaseFactory factory = new DatabaseFactory();
        factory.setUrl(db.urlWithoutCredentials());
        factory.getOwner().setUser(db.username());
        factory.getOwner().setPassword(db.password());
        factory.setUser("wizmesh_app");
        factory.setPassword("wizmesh_app");
        factory.setProvision(true);
        factory.setMigrations(List.of("classpath:db/notes"));
        factory.addModuleMigrations("test-module", "classpath:db/test-module");
        factory.provisioner().orElseThrow().provision();

        assertThat(factory.migrations().migrate()).isEqualTo(2);
        assertThat(factory.migrations().migrate()).isZero();

        try (Connection c = DriverManager.getConnection(db.urlWithoutCredentials(), db.username(), db.password())) {
            assertThat(strings(c, "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank"))
                    .containsExactly("1");
            assertThat(strings(c, "SELECT coalesce(version, '-') FROM flyway_history_test_module WHERE success ORDER BY installed_rank"))
                    .containsExactly("0", "1"); // the baseline, then the module's V1
            assertThat(strings(c, "SELECT privilege_type FROM information_schema.role_table_grants "
                    + "WHERE grantee = 'wizmesh_app' AND table_name = 'labels' ORDER BY privilege_type"))
                    .contains("DELETE", "INSERT", "SELECT", "UPDATE");
        }
    }

    private static List<String> strings(Connection c, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
