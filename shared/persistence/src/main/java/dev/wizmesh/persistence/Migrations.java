package dev.wizmesh.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The service's schema migrations (Flyway, plain SQL files in {@code db/migration}), run as the
 * owner role. Two callbacks from this module run around every migration
 * ({@code db/tenancy}): before, the {@code app_current_tenant()} function the row-level-security
 * policies call; after, the application role's grants on every table but Flyway's own history.
 *
 * <p>Several instances of a service may start at once. Flyway locks only around the migrations
 * themselves, not around its callbacks, and PostgreSQL refuses two concurrent
 * {@code CREATE OR REPLACE FUNCTION}s or {@code GRANT}s on one object ("tuple concurrently
 * updated"). So the whole run holds a session advisory lock of ours: the others wait, then find
 * nothing pending.
 */
public final class Migrations {
    static final String TENANCY_CALLBACKS = "classpath:db/tenancy";
    /** Our advisory-lock key (advisory locks are per database); any constant not Flyway's own. */
    private static final long MIGRATION_LOCK = 0x77697a6d657368L; // "wizmesh"

    private final String url;
    private final String ownerUser;
    private final String ownerPassword;
    private final String appRole;
    private final List<String> locations;

    Migrations(String url, String ownerUser, String ownerPassword, String appRole, List<String> locations) {
        this.url = url;
        this.ownerUser = ownerUser;
        this.ownerPassword = ownerPassword;
        this.appRole = DatabaseProvisioner.identifier(appRole, "database.user");
        this.locations = locations;
    }

    /** Applies the pending migrations; returns how many ran. */
    public int migrate() {
        try (Connection lock = DriverManager.getConnection(url, ownerUser, ownerPassword);
                Statement s = lock.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
            // released when the connection closes, also if the migration fails
            MigrateResult result = flyway().migrate();
            return result.migrationsExecuted;
        } catch (SQLException | RuntimeException e) {
            throw new IllegalStateException("Migrating " + url + " as " + ownerUser + " failed: " + e.getMessage(), e);
        }
    }

    Flyway flyway() {
        List<String> all = new ArrayList<>(locations);
        all.add(TENANCY_CALLBACKS);
        return Flyway.configure()
                .dataSource(url, ownerUser, ownerPassword)
                .locations(all.toArray(String[]::new))
                .placeholders(Map.of("appRole", appRole))
                .connectRetries(0)
                .load();
    }
}
