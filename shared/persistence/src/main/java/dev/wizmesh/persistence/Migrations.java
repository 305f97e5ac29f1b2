package dev.wizmesh.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;

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
    private final Map<String, String> modules;

    Migrations(String url, String ownerUser, String ownerPassword, String appRole, List<String> locations) {
        this(url, ownerUser, ownerPassword, appRole, locations, Map.of());
    }

    Migrations(String url, String ownerUser, String ownerPassword, String appRole, List<String> locations,
               Map<String, String> modules) {
        this.url = url;
        this.ownerUser = ownerUser;
        this.ownerPassword = ownerPassword;
        this.appRole = DatabaseProvisioner.identifier(appRole, "database.user");
        this.locations = locations;
        this.modules = Map.copyOf(modules);
        this.modules.keySet().forEach(m -> DatabaseProvisioner.identifier("flyway_history_" + m.replace('-', '_'), "database.moduleMigrations"));
    }

    /** Applies the pending migrations; returns how many ran. */
    public int migrate() {
        try (Connection lock = DriverManager.getConnection(url, ownerUser, ownerPassword);
                Statement s = lock.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
            // released when the connection closes, also if the migration fails
            int executed = flyway().migrate().migrationsExecuted;
            for (Map.Entry<String, String> module : new java.util.TreeMap<>(modules).entrySet()) {
                executed += moduleFlyway(module.getKey(), module.getValue()).migrate().migrationsExecuted;
            }
            return executed;
        } catch (SQLException | RuntimeException e) {
            throw new IllegalStateException("Migrating " + url + " as " + ownerUser + " failed: " + e.getMessage(), e);
        }
    }

    Flyway flyway() {
        return configure(locations).load();
    }

    /**
     * A shared module's migrations: a history table of its own, so its V1 is not the service's
     * V1, and either can add versions without the other. The schema is not empty by then (the
     * service's tables), so the module's history starts from a baseline of version 0.
     */
    Flyway moduleFlyway(String module, String location) {
        return configure(List.of(location))
                .table("flyway_history_" + module.replace('-', '_'))
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load();
    }

    private org.flywaydb.core.api.configuration.FluentConfiguration configure(List<String> where) {
        List<String> all = new ArrayList<>(where);
        all.add(TENANCY_CALLBACKS);
        return Flyway.configure()
                .dataSource(url, ownerUser, ownerPassword)
                .locations(all.toArray(String[]::new))
                .placeholders(Map.of("appRole", appRole))
                .connectRetries(0);
    }
}
