package dev.wizmesh.testing;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A PostgreSQL server the tests may create and drop databases on: the embedded one, or the one that
 * {@code WIZMESH_TEST_POSTGRES_URL} points at.
 *
 * <p>The admin URL names a maintenance database (usually {@code postgres}) that a superuser can connect to;
 * every database URL handed out keeps its host, port and query parameters and swaps the database name.
 */
public final class PostgresServer {

    /** Our names go into SQL unquoted by the caller, so they are kept to what needs no quoting at all. */
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private static PostgresServer shared;

    private final String host;
    private final int port;
    private final String adminDatabase;
    private final Map<String, String> parameters;
    private final String username;
    private final String password;

    private PostgresServer(String host, int port, String adminDatabase, Map<String, String> parameters) {
        this.host = host;
        this.port = port;
        this.adminDatabase = adminDatabase;
        this.parameters = Map.copyOf(parameters);
        this.username = parameters.getOrDefault("user", "postgres");
        this.password = parameters.getOrDefault("password", "");
    }

    /**
     * The server behind a URL such as {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}: one host,
     * an optional port (default 5432), the admin database, and the user (default {@code postgres}) and password
     * as URL parameters.
     */
    public static PostgresServer fromAdminJdbcUrl(String adminJdbcUrl) {
        String prefix = "jdbc:postgresql://";
        if (!adminJdbcUrl.startsWith(prefix)) {
            throw new IllegalArgumentException("expected " + prefix + "host[:port]/database[?params], got " + adminJdbcUrl);
        }
        URI uri = URI.create(adminJdbcUrl.substring("jdbc:".length()));
        if (uri.getHost() == null || uri.getHost().contains(",")) {
            throw new IllegalArgumentException("expected exactly one host in " + adminJdbcUrl);
        }
        String database = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
        return new PostgresServer(uri.getHost(), uri.getPort() == -1 ? 5432 : uri.getPort(), database,
                queryParameters(uri.getRawQuery()));
    }

    /**
     * The shared server of this test JVM: the external one if {@code WIZMESH_TEST_POSTGRES_URL} is set, else an
     * embedded one started on first use and stopped when the JVM exits.
     */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = fromAdminJdbcUrl(ExternalServers.url(ExternalServers.POSTGRES_URL)
                    .orElseGet(EmbeddedPostgresLauncher::start));
        }
        return shared;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** A URL of the maintenance database, for creating and dropping databases. */
    public String adminJdbcUrl() {
        return jdbcUrl(adminDatabase);
    }

    /** A URL of the named database on this server, with the same parameters (user, ssl...) as the admin URL. */
    public String jdbcUrl(String databaseName) {
        String query = parameters.entrySet().stream()
                .map(entry -> encode(entry.getKey()) + "=" + encode(entry.getValue()))
                .sorted()
                .collect(Collectors.joining("&"));
        return "jdbc:postgresql://" + host + ":" + port + "/" + databaseName + (query.isEmpty() ? "" : "?" + query);
    }

    /**
     * The environment a wizmesh domain service needs to use {@code databaseName} on this server
     * (the variables of its YAML's {@code database:} block): {@code DB_HOST}, {@code DB_PORT},
     * {@code DB_OWNER_USER}, {@code DB_OWNER_PASSWORD}, and {@code nameVariable} (e.g.
     * {@code USER_SVC_DB_NAME}) set to the database.
     */
    public java.util.Map<String, String> serviceEnvironment(String databaseName, String nameVariable) {
        return java.util.Map.of("DB_HOST", host, "DB_PORT", Integer.toString(port), nameVariable, databaseName,
                "DB_OWNER_USER", username, "DB_OWNER_PASSWORD", password);
    }

    /** A handle on a database that already exists (or that an app under test will create). */
    public PostgresDatabase database(String databaseName) {
        return new PostgresDatabase(databaseName, jdbcUrl(databaseName), username, password);
    }

    /**
     * Creates an empty database with this name, first dropping any database of that name, so that a run that
     * crashed before cleaning up on an external server cannot make the next run fail.
     */
    public PostgresDatabase createDatabase(String databaseName) {
        requireSimpleName(databaseName);
        dropDatabase(databaseName);
        execute("CREATE DATABASE " + databaseName);
        return database(databaseName);
    }

    /** Drops the database if it exists, disconnecting whoever is still connected to it (a pool, a killed app). */
    public void dropDatabase(String databaseName) {
        requireSimpleName(databaseName);
        execute("DROP DATABASE IF EXISTS " + databaseName + " WITH (FORCE)");
    }

    private void execute(String sql) {
        try (var connection = database(adminDatabase).connection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("failed on " + adminJdbcUrl() + ": " + sql, e);
        }
    }

    private static void requireSimpleName(String databaseName) {
        if (!DATABASE_NAME.matcher(databaseName).matches()) {
            throw new IllegalArgumentException("database names must match " + DATABASE_NAME + ": " + databaseName);
        }
    }

    private static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int equals = pair.indexOf('=');
                String key = equals < 0 ? pair : pair.substring(0, equals);
                String value = equals < 0 ? "" : pair.substring(equals + 1);
                parameters.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "PostgresServer[" + host + ":" + port + " as " + username + "]";
    }
}
