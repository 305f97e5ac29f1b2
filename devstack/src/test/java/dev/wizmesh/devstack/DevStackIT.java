package dev.wizmesh.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.wizmesh.testing.AppProcess;
import dev.wizmesh.testing.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
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
 * The devstack's shaded jar as ./run.sh runs it: a real process with real PostgreSQL, a real AMQP 0-9-1 broker
 * (Qpid Broker-J) and a real redis-server, stopped by real signals.
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
        int amqpPort = FreePorts.next();
        int redisPort = FreePorts.next();
        Map<String, String> ports = Map.of("DEVSTACK_POSTGRES_PORT", String.valueOf(port),
                "DEVSTACK_AMQP_PORT", String.valueOf(amqpPort), "DEVSTACK_REDIS_PORT", String.valueOf(redisPort));

        try (AppProcess first = devstack(dir, ports).start()) {
            Map<String, String> env = awaitEnvFile(first, dir);
            assertThat(env).containsEntry("DB_HOST", "127.0.0.1").containsEntry("DB_PORT", String.valueOf(port))
                    .containsEntry("DB_OWNER_USER", "postgres").containsEntry("DB_OWNER_PASSWORD", "")
                    .containsEntry("AMQP_URI", "amqp://guest:guest@127.0.0.1:" + amqpPort + "/%2F")
                    .containsEntry("REDIS_URL", "redis://127.0.0.1:" + redisPort);
            try (Connection connection = connect(env); Statement sql = connection.createStatement()) {
                sql.execute("CREATE TABLE kept (note text)");
                sql.execute("INSERT INTO kept VALUES ('written before the restart')");
            }
            // the broker takes a connection from the services' client and routes a message through a queue
            assertThat(roundTrip(env.get("AMQP_URI"), "hello through the devstack's broker"))
                    .isEqualTo("hello through the devstack's broker");
            assertThat(redis(env.get("REDIS_URL"), "PING")).isEqualTo("+PONG");
            long postmaster = postmasterPid(dir);
            long redisServer = redisPid(dir);
            assertThat(ProcessHandle.of(redisServer).flatMap(p -> p.info().command()).orElse(""))
                    .contains("redis-server");

            AppProcess.StopResult stopped = first.stop(Duration.ofSeconds(10));

            assertThat(stopped.exitCode()).isEqualTo(AppProcess.SIGTERM_EXIT_CODE);
            assertThat(stopped.took()).isLessThan(Duration.ofSeconds(5));
            assertThat(postmasterGoneWithin(postmaster, Duration.ofSeconds(3))).as("postmaster %d gone", postmaster).isTrue();
            assertThat(postmasterGoneWithin(redisServer, Duration.ofSeconds(3))).as("redis-server %d gone", redisServer).isTrue();
            assertThat(dir.resolve("env")).doesNotExist();
            assertThat(first.log()).contains("PostgreSQL stopped", "AMQP broker stopped", "Redis stopped");
            for (int closed : List.of(port, amqpPort, redisPort)) {
                assertThat(accepts(closed)).as("port %d still accepts connections after the stop", closed).isFalse();
            }
        }

        try (AppProcess second = devstack(dir, ports).start()) {
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

            // the running devstack's servers play "real servers" for another devstack
            Map<String, String> runningEnv = parse(Files.readAllLines(dir.resolve("env"), StandardCharsets.UTF_8));
            Path otherDir = tempDir.resolve("other");
            String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres&password=";
            try (AppProcess external = devstack(otherDir, Map.of("DEVSTACK_POSTGRES_URL", url,
                    "DEVSTACK_AMQP_URI", runningEnv.get("AMQP_URI"), "DEVSTACK_REDIS_URL", runningEnv.get("REDIS_URL")))
                    .start()) {
                Map<String, String> env = awaitEnvFile(external, otherDir);
                assertThat(env).containsEntry("DB_PORT", String.valueOf(port)).containsEntry("DB_OWNER_USER", "postgres")
                        .containsEntry("AMQP_URI", runningEnv.get("AMQP_URI"))
                        .containsEntry("REDIS_URL", runningEnv.get("REDIS_URL"));
                assertThat(otherDir.resolve("postgres")).doesNotExist();
                assertThat(otherDir.resolve("redis")).doesNotExist();
                assertThat(external.log()).contains("(DEVSTACK_AMQP_URI); starting none", "(DEVSTACK_REDIS_URL); starting none")
                        .doesNotContain("guest:guest"); // the password never reaches a log line
                assertThat(external.stop(Duration.ofSeconds(10)).exitCode()).isEqualTo(AppProcess.SIGTERM_EXIT_CODE);
            }
            // ... and left them running: they were not its own
            assertThat(redis(runningEnv.get("REDIS_URL"), "PING")).isEqualTo("+PONG");
            assertThat(roundTrip(runningEnv.get("AMQP_URI"), "still there")).isEqualTo("still there");

            // a given broker that does not answer: exit 1, and what had started meanwhile is stopped again
            Path failingDir = tempDir.resolve("failing");
            int failingPostgres = FreePorts.next();
            int failingRedis = FreePorts.next();
            AppProcess.RunResult failing = devstack(failingDir, Map.of("DEVSTACK_POSTGRES_PORT", String.valueOf(failingPostgres),
                    "DEVSTACK_REDIS_PORT", String.valueOf(failingRedis),
                    "DEVSTACK_AMQP_URI", "amqp://guest:secret@127.0.0.1:" + FreePorts.next() + "/%2F"))
                    .run(Duration.ofSeconds(60));
            assertThat(failing.exitCode()).as(failing.output()).isEqualTo(1);
            assertThat(failing.output()).contains("FAILED: the AMQP broker at amqp://***@127.0.0.1:", "does not answer",
                    "PostgreSQL stopped", "Redis stopped").doesNotContain("secret");
            assertThat(failingDir.resolve("env")).doesNotExist();
            assertThat(accepts(failingPostgres)).isFalse();
            assertThat(accepts(failingRedis)).isFalse();
            assertThat(running.isAlive()).isTrue();
            running.stop(Duration.ofSeconds(10));
        }
    }

    @Test
    void aDevstackKilledWithSigkillLeavesServersTheNextOneStops() throws Exception {
        Path dir = tempDir.resolve("devstack");
        Map<String, String> ports = Map.of("DEVSTACK_POSTGRES_PORT", String.valueOf(FreePorts.next()),
                "DEVSTACK_AMQP_PORT", String.valueOf(FreePorts.next()),
                "DEVSTACK_REDIS_PORT", String.valueOf(FreePorts.next()));
        long postmaster;
        long redisServer;
        try (AppProcess killed = devstack(dir, ports).start()) {
            awaitEnvFile(killed, dir);
            postmaster = postmasterPid(dir);
            redisServer = redisPid(dir);
            assertThat(killed.kill()).isEqualTo(AppProcess.SIGKILL_EXIT_CODE);
        }
        // the broker lived in the killed JVM; PostgreSQL and Redis are processes of their own and run on
        assertThat(accepts(Integer.parseInt(ports.get("DEVSTACK_AMQP_PORT")))).isFalse();
        assertThat(ProcessHandle.of(redisServer).map(ProcessHandle::isAlive)).contains(true);

        assertThat(dir.resolve("env")).exists(); // a killed devstack cannot withdraw it; run.sh deletes it, as here
        Files.delete(dir.resolve("env"));
        try (AppProcess next = devstack(dir, ports).start()) {
            Map<String, String> env = awaitEnvFile(next, dir);
            assertThat(next.log()).contains("a PostgreSQL server (pid " + postmaster + ") left by a devstack",
                    "a Redis server (pid " + redisServer + ") left by a devstack");
            assertThat(postmasterGoneWithin(redisServer, Duration.ofSeconds(3))).isTrue();
            assertThat(redis(env.get("REDIS_URL"), "PING")).isEqualTo("+PONG");
            assertThat(next.stop(Duration.ofSeconds(10)).exitCode()).isEqualTo(AppProcess.SIGTERM_EXIT_CODE);
        }
    }

    /** Declares a queue, publishes a message to it through the default exchange and gets it back. */
    private static String roundTrip(String amqpUri, String message) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(amqpUri);
        try (com.rabbitmq.client.Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
            String queue = channel.queueDeclare().getQueue(); // server-named, exclusive, auto-delete
            channel.confirmSelect();
            channel.basicPublish("", queue, null, message.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5_000);
            GetResponse response = channel.basicGet(queue, true);
            assertThat(response).as("the message is in %s", queue).isNotNull();
            return new String(response.getBody(), StandardCharsets.UTF_8);
        }
    }

    /** One command in RESP over a plain socket; the first line of the answer ({@code +PONG}). */
    private static String redis(String url, String command) throws IOException {
        java.net.URI uri = java.net.URI.create(url);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 2_000);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("*1\r\n$" + command.length() + "\r\n" + command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\r'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static long redisPid(Path dir) throws IOException {
        return Long.parseLong(Files.readString(dir.resolve("redis/redis.pid")).trim());
    }

    private AppProcess devstack(Path dir, Map<String, String> env) {
        Map<String, String> all = new LinkedHashMap<>(env);
        all.put("DEVSTACK_DIR", dir.toString());
        // never the fixed default ports: a developer's own ./run.sh may be running
        all.putIfAbsent("DEVSTACK_AMQP_PORT", "0");
        all.putIfAbsent("DEVSTACK_REDIS_PORT", "0");
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
