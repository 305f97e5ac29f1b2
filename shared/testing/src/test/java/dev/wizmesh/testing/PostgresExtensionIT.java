package dev.wizmesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;

@ExtendWith(PostgresExtension.class)
class PostgresExtensionIT {

    @Test
    void sqlRoundTrip(PostgresDatabase database) throws SQLException {
        try (Connection connection = database.connection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE greeting (id int PRIMARY KEY, text varchar(40) NOT NULL)");
            statement.execute("INSERT INTO greeting VALUES (1, 'hello'), (2, 'world')");
            try (ResultSet rows = statement.executeQuery("SELECT text FROM greeting ORDER BY id")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("hello");
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("world");
            }
        }
    }

    @Test
    void connectsToTheClassDatabaseThroughTheDataSource(PostgresDatabase database) throws SQLException {
        assertThat(database.databaseName()).startsWith("wizmesh_test_");
        assertThat(queryString(database, "SELECT current_database()")).isEqualTo(database.databaseName());
    }

    @Test
    void createsAndDropsNamedDatabasesOnTheSameServer(PostgresServer server) throws SQLException {
        PostgresDatabase users = server.createDatabase("wizmesh_it_users");
        try {
            assertThat(queryString(users, "SELECT current_database()")).isEqualTo("wizmesh_it_users");
            assertThat(users.jdbcUrl()).startsWith("jdbc:postgresql://" + server.host() + ":" + server.port() + "/");
        } finally {
            server.dropDatabase("wizmesh_it_users");
        }
        assertThat(databaseExists(server, "wizmesh_it_users")).isFalse();
    }

    @Test
    void givesEachTestClassItsOwnDatabaseAndDropsItAfterTheClass(PostgresServer server) throws SQLException {
        SeenDatabases.NAMES.clear();

        EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(FirstClass.class), selectClass(SecondClass.class))
                .execute()
                .testEvents()
                .assertStatistics(stats -> stats.succeeded(2).failed(0));

        assertThat(SeenDatabases.NAMES).hasSize(2);
        for (String name : SeenDatabases.NAMES) {
            assertThat(databaseExists(server, name)).as("%s dropped after its class", name).isFalse();
        }
    }

    @Nested
    class NestedClass {

        @Test
        void sharesTheEnclosingClassDatabase(PostgresDatabase database) throws SQLException {
            assertThat(queryString(database, "SELECT current_database()")).isEqualTo(database.databaseName());
        }
    }

    private static String queryString(PostgresDatabase database, String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static boolean databaseExists(PostgresServer server, String name) throws SQLException {
        try (Connection connection = server.database("postgres").connection();
             PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** Filled by the classes below, which only run inside the EngineTestKit (failsafe skips nested classes). */
    static final class SeenDatabases {
        static final Set<String> NAMES = ConcurrentHashMap.newKeySet();
    }

    static class FirstClass {

        @RegisterExtension
        static final PostgresExtension POSTGRES = new PostgresExtension();

        @Test
        void recordsItsDatabase() {
            SeenDatabases.NAMES.add(POSTGRES.database().databaseName());
        }
    }

    @ExtendWith(PostgresExtension.class)
    static class SecondClass {

        @Test
        void recordsItsDatabase(PostgresDatabase database) {
            SeenDatabases.NAMES.add(database.databaseName());
        }
    }
}
