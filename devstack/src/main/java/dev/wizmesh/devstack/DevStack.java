package dev.wizmesh.devstack;

import java.util.concurrent.CountDownLatch;

/**
 * The local infrastructure of wizmesh, one process that ./run.sh starts before the apps (see docs/devstack.md).
 *
 * <pre>
 *   java -jar devstack/target/devstack.jar
 * </pre>
 *
 * <p>In order: takes the devstack lock (one devstack per directory), starts embedded PostgreSQL on a fixed port
 * with a persistent data directory, or checks the server {@code DEVSTACK_POSTGRES_URL} names instead, writes what
 * it provides to the env file ({@code var/devstack/env}) for run.sh to export to the apps, and then stays in the
 * foreground until SIGTERM or SIGINT (Ctrl-C), when a shutdown hook withdraws the env file and stops PostgreSQL
 * cleanly. Settings: {@link DevStackSettings}. Redis, AMQP and S3 join here in later issues.
 */
public final class DevStack {

    private final DevStackSettings settings;
    private final EnvFile envFile;
    // Set by the main thread, read by the shutdown hook, which may run at any point of start-up.
    private volatile InstanceLock lock;
    private volatile PostgresService postgres;

    DevStack(DevStackSettings settings) {
        this.settings = settings;
        this.envFile = new EnvFile(settings.envFile());
    }

    public static void main(String[] args) throws InterruptedException {
        try {
            new DevStack(DevStackSettings.fromEnvironment(System.getenv())).run();
        } catch (DevStackException e) {
            // Something the user can act on: the message says what; a stack trace would only hide it.
            Progress.say("FAILED: " + e.getMessage());
            System.exit(1); // runs the shutdown hook, which stops whatever had started
        }
    }

    void run() throws InterruptedException {
        Progress.say("starting (directory " + settings.directory() + ")");
        lock = InstanceLock.acquire(settings.lockFile());
        // Registered before anything starts, so that a SIGTERM or a failure half-way still stops what did start.
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "devstack-shutdown"));

        postgres = settings.postgresUrl()
                .<PostgresService>map(ExternalPostgres::check)
                .orElseGet(() -> EmbeddedPostgresService.start(settings.postgresDataDirectory(), settings.postgresPort()));

        envFile.write(postgres.environment());
        Progress.say("wrote " + envFile.path() + " (" + String.join(", ", postgres.environment().keySet()) + ")");
        Progress.say("ready; SIGTERM or Ctrl-C stops it");
        new CountDownLatch(1).await(); // the foreground: only a signal (through the shutdown hook) ends the process
    }

    /** The shutdown hook: first the env file (so nobody starts against a server on its way out), then the servers. */
    private void stop() {
        envFile.delete();
        PostgresService server = postgres;
        if (server != null) {
            Progress.say("stopping");
            server.close();
            Progress.say("stopped");
        }
        if (lock != null) {
            lock.close();
        }
    }
}
