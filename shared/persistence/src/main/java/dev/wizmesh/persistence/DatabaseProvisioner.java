package dev.wizmesh.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Development convenience: creates the service's database and the application role when they do
 * not exist yet, connected as the owner to the server's {@code postgres} database. The role is
 * made a plain login role: not a superuser, no BYPASSRLS, owning nothing, so row-level security
 * binds it. Safe to run from several instances at once: losing a creation race is fine.
 */
public final class DatabaseProvisioner {
    private static final Pattern JDBC_URL = Pattern.compile("^(jdbc:postgresql://[^/]+/)([^?]+)(\\?.*)?$");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    // duplicate_object, duplicate_database, unique_violation (pg_database/pg_authid races)
    private static final Set<String> ALREADY_THERE = Set.of("42710", "42P04", "23505");

    private final String url;
    private final String ownerUser;
    private final String ownerPassword;
    private final String appRole;
    private final String appPassword;

    DatabaseProvisioner(String url, String ownerUser, String ownerPassword, String appRole, String appPassword) {
        this.url = url;
        this.ownerUser = ownerUser;
        this.ownerPassword = ownerPassword;
        this.appRole = appRole;
        this.appPassword = appPassword;
    }

    public void provision() {
        Matcher m = JDBC_URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("database.url must look like jdbc:postgresql://host:port/name, was " + url);
        }
        String databaseName = identifier(m.group(2), "database name");
        String maintenanceUrl = m.group(1) + "postgres" + (m.group(3) == null ? "" : m.group(3));
        identifier(appRole, "database.user");
        try (Connection c = connect(maintenanceUrl)) {
            if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", appRole)) {
                executeFormatted(c, "SELECT format('CREATE ROLE %I LOGIN PASSWORD %L NOSUPERUSER NOBYPASSRLS "
                        + "NOCREATEDB NOCREATEROLE', ?, ?)", appRole, appPassword);
            }
            if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", databaseName)) {
                executeFormatted(c, "SELECT format('CREATE DATABASE %I', ?)", databaseName);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Provisioning " + databaseName + " at " + maintenanceUrl
                    + " as " + ownerUser + " failed: " + e.getMessage(), e);
        }
    }

    private Connection connect(String jdbcUrl) throws SQLException {
        Properties credentials = new Properties();
        credentials.setProperty("user", ownerUser);
        if (!ownerPassword.isEmpty()) {
            credentials.setProperty("password", ownerPassword);
        }
        return DriverManager.getConnection(jdbcUrl, credentials);
    }

    private static boolean exists(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** DDL takes no bind parameters, so the server quotes the names and literals with format(). */
    private static void executeFormatted(Connection c, String formatSql, String... values) throws SQLException {
        String ddl;
        try (PreparedStatement s = c.prepareStatement(formatSql)) {
            for (int i = 0; i < values.length; i++) {
                s.setString(i + 1, values[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                ddl = rs.getString(1);
            }
        }
        try (var statement = c.createStatement()) {
            statement.execute(ddl);
        } catch (SQLException e) {
            if (!ALREADY_THERE.contains(e.getSQLState())) {
                throw e;
            }
        }
    }

    static String identifier(String name, String what) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " must be a lower-case SQL identifier, was " + name);
        }
        return name;
    }
}
