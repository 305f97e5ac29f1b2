package dev.wizmesh.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One database on a {@link PostgresServer}: what a test or an app config needs to connect to it.
 *
 * @param databaseName the database's name on the server
 * @param jdbcUrl      a {@code jdbc:postgresql:} URL of the database (it may carry the user as a parameter)
 * @param username     the user to connect as
 * @param password     the user's password; empty when the server trusts local connections
 */
public record PostgresDatabase(String databaseName, String jdbcUrl, String username, String password) {

    /** A new connection; the caller closes it. */
    public Connection connection() throws SQLException {
        Properties credentials = new Properties();
        credentials.setProperty("user", username);
        if (!password.isEmpty()) {
            credentials.setProperty("password", password);
        }
        return DriverManager.getConnection(jdbcUrl, credentials);
    }

    /** An unpooled data source (a new connection per call), enough for tests and for JDBI or Flyway in tests. */
    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl);
        dataSource.setUser(username);
        if (!password.isEmpty()) {
            dataSource.setPassword(password);
        }
        return dataSource;
    }

    /**
     * The URL without the {@code user} and {@code password} parameters, for an app that connects
     * as roles of its own (the owner for migrations, an application role for requests).
     */
    public String urlWithoutCredentials() {
        String url = jdbcUrl.replaceAll("([?&])(user|password)=[^&]*", "$1")
                .replaceAll("[?&]+$", "")
                .replaceAll("\\?&+", "?")
                .replaceAll("&{2,}", "&");
        return url;
    }

    /** Leaves the password out, so a failing assertion never prints it into a CI log. */
    @Override
    public String toString() {
        return "PostgresDatabase[" + databaseName + " at " + jdbcUrl + " as " + username + "]";
    }
}
