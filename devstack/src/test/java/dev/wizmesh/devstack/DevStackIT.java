package dev.wizmesh.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wizmesh.testing.AppProcess;
import dev.wizmesh.testing.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The devstack's shaded jar as ./run.sh runs it: a real process with real PostgreSQL, stopped by real signals.
 */
class DevStackIT {

    private static final Path JAR = Path.of("target/devstack.jar");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path tempDir;

    @Test
    void keepsTheDataAcrossRestartsAndStopsPostgresOnSigterm() throws Exception {
        Path dir = tempDir.resolve("devstack");
        int port = FreePorts.next();

        try (AppProcess first = devstack(dir, Map.of("DEVSTACK_POSTGRES_PORT", String.valueOf(port))).start()) {
            Map<String, String> env = awaitEnvFile(first, dir);
            assertThat(env).containsEntry("DB_HOST", "127.0.0.1").containsEntry("DB_PORT", String.valueOf(port))
                    .containsEntry("DB_OWNER_USER", "postgres").containsEntry("DB_OWNER_PASSWORD", "");
            try (Connection connection = connect(env); Statement sql = connection.createStatement()) {
                sql.execute("CREATE TABLE kept (note text)");
                sql.execute("INSERT INTO kept VALUES ('written before the restart')");
            }
            long postmaster = postmasterPid(dir);

            AppProcess.StopResult stopped = first.stop(Duration.ofSeconds(10));

            assertThat(stopped.exitCode()).isEqualTo(AppProcess.SIGTERM_EXIT_CODE);
            assertThat(stopped.took()).isLessThan(Duration.ofSeconds(5));
            assertThat(postmasterGoneWithin(postmaster, Duration.ofSeconds(3))).as("postmaster %d gone", postmaster).isTrue();
            assertThat(dir.resolve("env")).doesNotExist();
            assertThat(first.log()).contains("PostgreSQL stopped");
        }

        try (AppProcess second = devstack(dir, Map.of("DEVSTACK_POSTGRES_PORT", String.valueOf(port))).start()) {
            Map<String, String> env = awaitEnvFile(second, dir);
            try (Connection connection = connect(env); Statement sql = connection.createStatement();
                 ResultSet row = sql.executeQuery("SELECT note FROM kept")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("written before the restart");
            }
            assertThat(second.log()).contains("data of earlier runs is kept");
            assertThat(second.stop(Duration.ofSeconds(10)).exitCode()).isEqualTo(AppProcess.SIGTERM_EXIT_CODE);
        }
    }

    @Test
    void refusesASecondDevstackOnTheSameDirectoryAndUsesAGivenServerInsteadOfStartingOne() throws Exception {
        Path dir = tempDir.resolve("devstack");
        int port = FreePorts.next();
        try (AppProcess running = devstack(dir, Map.of("DEVSTACK_POSTGRES_PORT", String.valueOf(port))).start()) {
            awaitEnvFile(running, dir);

            AppProcess.RunResult second = devstack(dir, Map.of("DEVSTACK_POSTGRES_PORT", String.valueOf(FreePorts.next())))
                    .run(Duration.ofSeconds(30));
            assertThat(second.exitCode()).isEqualTo(1);
            assertThat(second.output()).contains("another devstack is already running on " + dir.toAbsolutePath());
            assertThat(dir.resolve("env")).exists(); // the running one's hand-over is untouched

            // the running devstack's PostgreSQL plays "a real server" for another devstack
            Path otherDir = tempDir.resolve("other");
            String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres&password=";
            try (AppProcess external = devstack(otherDir, Map.of("DEVSTACK_POSTGRES_URL", url)).start()) {
                Map<String, String> env = awaitEnvFile(external, otherDir);
                assertThat(env).containsEntry("DB_PORT", String.valueOf(port)).containsEntry("DB_OWNER_USER", "postgres");
                assertThat(otherDir.resolve("postgres")).doesNotExist();
                assertThat(external.stop(Duration.ofSeconds(10)).exitCode()).isEqualTo(AppProcess.SIGTERM_EXIT_CODE);
            }
            assertThat(running.isAlive()).isTrue();
            running.stop(Duration.ofSeconds(10));
        }
    }

    private AppProcess devstack(Path dir, Map<String, String> env) {
        Map<String, String> all = new LinkedHashMap<>(env);
        all.put("DEVSTACK_DIR", dir.toString());
        return AppProcess.builder().jar(JAR).env(all).build();
    }

    /** The env file appears once PostgreSQL accepts connections: the devstack's readiness signal. */
    private static Map<String, String> awaitEnvFile(AppProcess devstack, Path dir) throws Exception {
        Path file = dir.resolve("env");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.exists(file)) {
            assertThat(devstack.isAlive()).as("devstack exited before it was ready:\n%s", devstack.log()).isTrue();
            assertThat(System.nanoTime()).as("no %s after %s:\n%s", file, START_TIMEOUT, devstack.log())
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /** KEY='value' lines, as a shell reads them (our values hold no quotes). */
    private static Map<String, String> parse(List<String> lines) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : lines) {
            if (!line.startsWith("#") && line.contains("=")) {
                String value = line.substring(line.indexOf('=') + 1);
                values.put(line.substring(0, line.indexOf('=')), value.substring(1, value.length() - 1));
            }
        }
        return values;
    }

    private static Connection connect(Map<String, String> env) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + env.get("DB_HOST") + ":" + env.get("DB_PORT")
                + "/postgres", env.get("DB_OWNER_USER"), env.get("DB_OWNER_PASSWORD"));
    }

    /** pg_ctl stop waits for the postmaster to exit; its new parent (init) may take a moment to reap it. */
    private static boolean postmasterGoneWithin(long pid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    private static long postmasterPid(Path dir) throws IOException {
        return Long.parseLong(Files.readAllLines(dir.resolve("postgres/postmaster.pid")).get(0).trim());
    }
}
