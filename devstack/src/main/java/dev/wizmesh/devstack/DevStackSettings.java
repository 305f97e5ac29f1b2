package dev.wizmesh.devstack;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the devstack can be told, all by environment variable (like the apps' YAML placeholders):
 *
 * <ul>
 *   <li>{@code DEVSTACK_DIR} (default {@code var/devstack}, relative to where it runs, which for ./run.sh is the
 *       repository root): holds the PostgreSQL data directory {@code postgres/}, the {@code env} file and the
 *       lock that keeps a second devstack off the same directory. Delete it to start from empty databases.</li>
 *   <li>{@code DEVSTACK_POSTGRES_PORT} (default 15432): the embedded server's port. Fixed rather than random so
 *       that a restarted system finds its data at the same address, and off 5432 so that it never collides with
 *       a PostgreSQL installed on the laptop.</li>
 *   <li>{@code DEVSTACK_POSTGRES_URL} (optional, {@code jdbc:postgresql://host:port/postgres?user=..&password=..}):
 *       a real server to use instead; then no embedded one is started.</li>
 *   <li>{@code DEVSTACK_AMQP_PORT} (default 15673): the embedded AMQP 0-9-1 broker's port; off 5672 (a RabbitMQ on
 *       the laptop) and off 15672 (RabbitMQ's management UI). 0: any free port.</li>
 *   <li>{@code DEVSTACK_AMQP_URI} (optional, {@code amqp://user:password@host:port/vhost}): a real broker (RabbitMQ)
 *       to use instead; then no embedded one is started.</li>
 *   <li>{@code DEVSTACK_REDIS_PORT} (default 16379): the embedded Redis's port, off 6379. 0: any free port.</li>
 *   <li>{@code DEVSTACK_REDIS_URL} (optional, {@code redis://[user:password@]host:port}): a real Redis to use
 *       instead; then no embedded one is started.</li>
 * </ul>
 */
record DevStackSettings(Path directory, int postgresPort, Optional<String> postgresUrl, int amqpPort,
                        Optional<String> amqpUri, int redisPort, Optional<String> redisUrl) {

    static final int DEFAULT_POSTGRES_PORT = 15432;
    static final int DEFAULT_AMQP_PORT = 15673;
    static final int DEFAULT_REDIS_PORT = 16379;

    static DevStackSettings fromEnvironment(Map<String, String> env) {
        Path directory = Path.of(value(env, "DEVSTACK_DIR").orElse("var/devstack")).toAbsolutePath().normalize();
        int port = parsePort(env, "DEVSTACK_POSTGRES_PORT", DEFAULT_POSTGRES_PORT, false);
        int amqpPort = parsePort(env, "DEVSTACK_AMQP_PORT", DEFAULT_AMQP_PORT, true);
        int redisPort = parsePort(env, "DEVSTACK_REDIS_PORT", DEFAULT_REDIS_PORT, true);
        return new DevStackSettings(directory, port, value(env, "DEVSTACK_POSTGRES_URL"), amqpPort,
                value(env, "DEVSTACK_AMQP_URI"), redisPort, value(env, "DEVSTACK_REDIS_URL"));
    }

    /** An empty variable ({@code VAR=}) counts as unset, as in the test fixtures of shared/testing. */
    private static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(value -> !value.isEmpty());
    }

    /** The embedded server's data directory: kept across restarts. */
    Path postgresDataDirectory() {
        return directory.resolve("postgres");
    }

    /** What the devstack provides, as shell assignments; present only while it runs. */
    Path envFile() {
        return directory.resolve("env");
    }

    Path lockFile() {
        return directory.resolve("devstack.lock");
    }

    /** The embedded Redis's working directory (it writes nothing there but its pid file). */
    Path redisDirectory() {
        return directory.resolve("redis");
    }

    /** The embedded broker's work directory (its stores are in memory: it writes nothing there today). */
    Path amqpWorkDirectory() {
        return directory.resolve("qpid");
    }

    private static int parsePort(Map<String, String> env, String name, int defaultPort, boolean anyAllowed) {
        String value = value(env, name).orElse(String.valueOf(defaultPort));
        int lowest = anyAllowed ? 0 : 1;
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= lowest && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new DevStackException(name + " must be a port number (" + lowest + "-65535"
                + (anyAllowed ? "; 0 for any free port" : "") + "), not '" + value + "'");
    }
}
