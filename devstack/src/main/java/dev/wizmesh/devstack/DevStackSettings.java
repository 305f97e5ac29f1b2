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
 * </ul>
 */
record DevStackSettings(Path directory, int postgresPort, Optional<String> postgresUrl) {

    static final int DEFAULT_POSTGRES_PORT = 15432;

    static DevStackSettings fromEnvironment(Map<String, String> env) {
        Path directory = Path.of(value(env, "DEVSTACK_DIR").orElse("var/devstack")).toAbsolutePath().normalize();
        int port = parsePort(value(env, "DEVSTACK_POSTGRES_PORT").orElse(String.valueOf(DEFAULT_POSTGRES_PORT)));
        return new DevStackSettings(directory, port, value(env, "DEVSTACK_POSTGRES_URL"));
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

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(value.trim());
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new DevStackException("DEVSTACK_POSTGRES_PORT must be a port number (1-65535), not '" + value + "'");
    }
}
