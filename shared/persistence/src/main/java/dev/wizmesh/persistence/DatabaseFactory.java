package dev.wizmesh.persistence;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wizmesh.platform.PlatformBundle;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code database:} block of a domain service's YAML: one PostgreSQL database, reached by two
 * roles.
 *
 * <ul>
 *   <li>the <b>application role</b> ({@code user}) serves requests: it owns nothing and has no
 *       BYPASSRLS, so row-level security applies to every statement it runs;</li>
 *   <li>the <b>owner role</b> ({@code owner.user}) runs the migrations and owns the tables. In
 *       development it may also create the database and the application role
 *       ({@code provision: true}); in production a DBA does that and {@code provision} is off.</li>
 * </ul>
 */
public class DatabaseFactory {
    @NotBlank
    private String url;

    @NotBlank
    private String user = "wizmesh_app";

    @NotNull
    private String password = "";

    @NotNull
    private Owner owner = new Owner();

    /** Create the database and the application role when missing (development and tests). */
    private boolean provision = false;

    /** Run pending migrations at start-up; {@code db migrate} runs them by hand otherwise. */
    private boolean migrateOnStart = true;

    /** Where the service's versioned migrations live (Flyway locations). */
    @NotNull
    private List<String> migrations = List.of("classpath:db/migration");

    /**
     * Schemas that belong to shared modules (the transaction log, the TCC fence), by module name:
     * each keeps its own Flyway history, so a module's versions never collide with the service's.
     * Services add theirs in code ({@link #addModuleMigrations}); YAML may add more.
     */
    @NotNull
    private Map<String, String> moduleMigrations = new java.util.LinkedHashMap<>();

    @Min(1)
    @Max(200)
    private int maxPoolSize = 16;

    @Min(0)
    private int minPoolSize = 2;

    @NotNull
    private Duration maxWaitForConnection = Duration.seconds(2);

    /** Statement timeout for the application role's connections: no query runs forever. */
    @NotNull
    private Duration statementTimeout = Duration.seconds(10);

    public static class Owner {
        @NotBlank
        private String user = "postgres";

        @NotNull
        private String password = "";

        @JsonProperty
        public String getUser() {
            return user;
        }

        @JsonProperty
        public void setUser(String user) {
            this.user = user;
        }

        @JsonProperty
        public String getPassword() {
            return password;
        }

        @JsonProperty
        public void setPassword(String password) {
            // "password:" with nothing after it (an empty variable) is YAML null: no password
            this.password = password == null ? "" : password;
        }
    }

    /**
     * Provisions (when asked), migrates (when asked), then opens the application role's pool and
     * wires it into the app: lifecycle, pool metrics, a critical health check.
     */
    public Database build(Environment environment, PlatformBundle<?> platform, String name) {
        Migrations migrations = migrations();
        if (provision) {
            new DatabaseProvisioner(url, owner.user, owner.password, user, password).provision();
        }
        if (migrateOnStart) {
            migrations.migrate();
        }
        ManagedDataSource dataSource = pool().build(environment.metrics(), name);
        environment.lifecycle().manage(dataSource);
        Database database = new Database(dataSource);
        database.audit().verify();
        platform.healthChecks().critical("postgresql", new DatabaseHealthCheck(database));
        return database;
    }

    /** The migrations as the owner sees them, for start-up and for {@code db migrate}. */
    public Migrations migrations() {
        return new Migrations(url, owner.user, owner.password, user, migrations, moduleMigrations);
    }

    /** A shared module's schema, migrated after the service's own with a history of its own. */
    public DatabaseFactory addModuleMigrations(String module, String location) {
        moduleMigrations.put(module, location);
        return this;
    }

    /** The provisioner, for {@code db migrate} on a fresh server. */
    public Optional<DatabaseProvisioner> provisioner() {
        return provision
                ? Optional.of(new DatabaseProvisioner(url, owner.user, owner.password, user, password))
                : Optional.empty();
    }

    /** The application role's pool settings (tests build a pool from it without a Dropwizard environment). */
    public DataSourceFactory pool() {
        DataSourceFactory pool = new DataSourceFactory();
        pool.setDriverClass("org.postgresql.Driver");
        pool.setUrl(url);
        pool.setUser(user);
        pool.setPassword(password);
        pool.setMaxSize(maxPoolSize);
        pool.setMinSize(Math.min(minPoolSize, maxPoolSize));
        pool.setInitialSize(Math.min(minPoolSize, maxPoolSize));
        pool.setMaxWaitForConnection(maxWaitForConnection);
        pool.setCheckConnectionOnBorrow(true);
        pool.setValidationQuery("/* wizmesh health check */ SELECT 1");
        pool.setProperties(java.util.Map.of(
                "options", "-c statement_timeout=" + statementTimeout.toMilliseconds(),
                "ApplicationName", "wizmesh"));
        return pool;
    }

    @JsonProperty
    public String getUrl() {
        return url;
    }

    @JsonProperty
    public void setUrl(String url) {
        this.url = url;
    }

    @JsonProperty
    public String getUser() {
        return user;
    }

    @JsonProperty
    public void setUser(String user) {
        this.user = user;
    }

    @JsonProperty
    public String getPassword() {
        return password;
    }

    @JsonProperty
    public void setPassword(String password) {
        this.password = password == null ? "" : password;
    }

    @JsonProperty
    public Owner getOwner() {
        return owner;
    }

    @JsonProperty
    public void setOwner(Owner owner) {
        this.owner = owner;
    }

    @JsonProperty
    public boolean isProvision() {
        return provision;
    }

    @JsonProperty
    public void setProvision(boolean provision) {
        this.provision = provision;
    }

    @JsonProperty
    public boolean isMigrateOnStart() {
        return migrateOnStart;
    }

    @JsonProperty
    public void setMigrateOnStart(boolean migrateOnStart) {
        this.migrateOnStart = migrateOnStart;
    }

    @JsonProperty
    public List<String> getMigrations() {
        return migrations;
    }

    @JsonProperty
    public void setMigrations(List<String> migrations) {
        this.migrations = migrations;
    }

    @JsonProperty
    public Map<String, String> getModuleMigrations() {
        return moduleMigrations;
    }

    @JsonProperty
    public void setModuleMigrations(Map<String, String> moduleMigrations) {
        this.moduleMigrations = new java.util.LinkedHashMap<>(moduleMigrations);
    }

    @JsonProperty
    public int getMaxPoolSize() {
        return maxPoolSize;
    }

    @JsonProperty
    public void setMaxPoolSize(int maxPoolSize) {
        this.maxPoolSize = maxPoolSize;
    }

    @JsonProperty
    public int getMinPoolSize() {
        return minPoolSize;
    }

    @JsonProperty
    public void setMinPoolSize(int minPoolSize) {
        this.minPoolSize = minPoolSize;
    }

    @JsonProperty
    public Duration getMaxWaitForConnection() {
        return maxWaitForConnection;
    }

    @JsonProperty
    public void setMaxWaitForConnection(Duration maxWaitForConnection) {
        this.maxWaitForConnection = maxWaitForConnection;
    }

    @JsonProperty
    public Duration getStatementTimeout() {
        return statementTimeout;
    }

    @JsonProperty
    public void setStatementTimeout(Duration statementTimeout) {
        this.statementTimeout = statementTimeout;
    }
}
