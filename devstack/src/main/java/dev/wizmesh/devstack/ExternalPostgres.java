package dev.wizmesh.devstack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * A real PostgreSQL server given by {@code DEVSTACK_POSTGRES_URL}
 * ({@code jdbc:postgresql://host:port/postgres?user=..&password=..}): nothing is started, the server is only
 * checked (it answers, and the user may create the apps' databases and roles) and handed on to the apps.
 */
final class ExternalPostgres implements PostgresService {

    private final String host;
    private final int port;
    private final String user;
    private final String password;

    private ExternalPostgres(String host, int port, String user, String password) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    static ExternalPostgres check(String url) {
        // The driver's own parser, so the URL means here exactly what it means to the apps' driver.
        Properties parsed = Driver.parseURL(url, null);
        if (parsed == null) {
            throw new DevStackException("DEVSTACK_POSTGRES_URL is not a jdbc:postgresql:// URL: " + redacted(url));
        }
        ExternalPostgres server = new ExternalPostgres(parsed.getProperty("PGHOST"),
                Integer.parseInt(parsed.getProperty("PGPORT", "5432")), parsed.getProperty("user", "postgres"),
                parsed.getProperty("password", ""));
        Progress.say("using the PostgreSQL server at " + redacted(url) + " (DEVSTACK_POSTGRES_URL); starting none");
        DriverManager.setLoginTimeout(10);
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT current_setting('server_version'),"
                     + " rolsuper OR (rolcreatedb AND rolcreaterole) FROM pg_roles WHERE rolname = current_user")) {
            row.next();
            Progress.say("PostgreSQL " + row.getString(1) + " answers at " + server.host + ":" + server.port
                    + " as " + server.user);
            if (!row.getBoolean(2)) {
                Progress.say("warning: " + server.user + " may not create databases and roles; the apps' "
                        + "database.provision needs that, or create their databases yourself");
            }
        } catch (SQLException e) {
            throw new DevStackException("the PostgreSQL server at " + redacted(url) + " does not answer: "
                    + e.getMessage(), e);
        }
        return server;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String ownerUser() {
        return user;
    }

    @Override
    public String ownerPassword() {
        return password;
    }

    @Override
    public void close() {
        // not ours to stop
    }

    /** The URL without its password, for messages and logs. */
    static String redacted(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
