package dev.wizmesh.devstack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The local infrastructure of wizmesh, one process that ./run.sh starts before the apps (see docs/devstack.md).
 *
 * <pre>
 *   java -jar devstack/target/devstack.jar
 * </pre>
 *
 * <p>In order: takes the devstack lock (one devstack per directory); then, side by side, starts embedded
 * PostgreSQL on a fixed port with a persistent data directory (or checks the server {@code DEVSTACK_POSTGRES_URL}
 * names instead), an embedded AMQP 0-9-1 broker (or checks {@code DEVSTACK_AMQP_URI}) and an embedded Redis (or
 * checks {@code DEVSTACK_REDIS_URL}); once all three answer, writes what it provides to the env file
 * ({@code var/devstack/env}) for run.sh to export to the apps, and then stays in the foreground until SIGTERM or
 * SIGINT (Ctrl-C), when a shutdown hook withdraws the env file and stops Redis, the broker and PostgreSQL.
 * Settings: {@link DevStackSettings}. S3 joins here in a later issue.
 */
public final class DevStack {

    /** How long the shutdown hook waits for a server still starting (a SIGTERM during start-up) before it stops it. */
    private static final long START_WAIT_ON_STOP_SECONDS = 30;

    private final DevStackSettings settings;
    private final EnvFile envFile;
    // Set by the start-up threads, read by the shutdown hook, which may run at any point of start-up.
    private volatile InstanceLock lock;
    private volatile PostgresService postgres;
    private volatile AmqpService amqp;
    private volatile RedisService redis;
    private volatile CompletableFuture<Void> starting = CompletableFuture.completedFuture(null);
    // Guards the moment the servers start against the shutdown hook: either the hook sees every start under
    // way (and waits for it), or none is launched after the hook has begun.
    private final Object startStop = new Object();
    private boolean stopping;

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
        long began = System.nanoTime();
        lock = InstanceLock.acquire(settings.lockFile());
        // with the lock held, an env file can only be a killed devstack's: its values may be stale
        envFile.delete();
        // Registered before anything starts, so that a SIGTERM or a failure half-way still stops what did start.
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "devstack-shutdown"));

        // The three are independent: started side by side, start-up takes as long as the slowest.
        CompletableFuture<?> pg;
        CompletableFuture<?> mq;
        CompletableFuture<?> rd;
        synchronized (startStop) {
            if (stopping) {
                return; // a signal came first: start nothing; the JVM is on its way out
            }
            pg = startInBackground("postgres", () -> postgres = settings.postgresUrl()
                    .<PostgresService>map(ExternalPostgres::check)
                    .orElseGet(() -> EmbeddedPostgresService.start(settings.postgresDataDirectory(), settings.postgresPort())));
            mq = startInBackground("amqp", () -> amqp = settings.amqpUri()
                    .<AmqpService>map(ExternalAmqpBroker::check)
                    .orElseGet(() -> EmbeddedAmqpBroker.start(settings.amqpWorkDirectory(), settings.amqpPort())));
            rd = startInBackground("redis", () -> redis = settings.redisUrl()
                    .<RedisService>map(ExternalRedis::check)
                    .orElseGet(() -> EmbeddedRedisService.start(settings.redisDirectory(), settings.redisPort())));
            starting = CompletableFuture.allOf(pg, mq, rd);
        }
        // every one finishes, started or failed, before a failure is reported: the hook then stops those that started
        starting.exceptionally(e -> null).join();
        synchronized (startStop) {
            if (stopping) {
                return; // SIGTERM or Ctrl-C during start-up: the hook stops what started; a failure is its doing
            }
        }
        List<String> failures = new ArrayList<>();
        for (CompletableFuture<?> start : List.of(pg, mq, rd)) {
            if (start.isCompletedExceptionally()) {
                failures.add(messageOf(start));
            }
        }
        if (!failures.isEmpty()) {
            throw new DevStackException(String.join("; and ", failures));
        }

        Map<String, String> environment = new LinkedHashMap<>(postgres.environment());
        environment.putAll(amqp.environment());
        environment.putAll(redis.environment());
        envFile.write(environment);
        Progress.say("wrote " + envFile.path() + " (" + String.join(", ", environment.keySet()) + ")");
        Progress.say("ready after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began)
                + " ms; SIGTERM or Ctrl-C stops it");
        new CountDownLatch(1).await(); // the foreground: only a signal (through the shutdown hook) ends the process
    }

    private static CompletableFuture<Void> startInBackground(String name, Supplier<?> start) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                start.get();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "devstack-start-" + name);
        thread.setDaemon(true);
        thread.start();
        return done;
    }

    private static String messageOf(CompletableFuture<?> failed) {
        try {
            failed.join();
            return "?";
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return cause instanceof DevStackException ? cause.getMessage() : cause.toString();
        }
    }

    /**
     * The shutdown hook: first the env file (so nobody starts against a server on its way out), then the servers
     * in reverse order of need: Redis, the broker, PostgreSQL last. A server still starting (SIGTERM during
     * start-up) is waited for, so that it is stopped too rather than left running.
     */
    private void stop() {
        synchronized (startStop) {
            stopping = true;
        }
        envFile.delete();
        try {
            starting.exceptionally(e -> null).get(START_WAIT_ON_STOP_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            Progress.say("a server was still starting after " + START_WAIT_ON_STOP_SECONDS + " s; stopping the rest");
        }
        if (postgres != null || amqp != null || redis != null) {
            Progress.say("stopping");
            for (AutoCloseable server : new AutoCloseable[] {redis, amqp, postgres}) {
                if (server != null) {
                    try {
                        server.close();
                    } catch (Exception e) {
                        Progress.say("stopping " + server + " failed: " + e);
                    }
                }
            }
            Progress.say("stopped");
        }
        if (lock != null) {
            lock.close();
        }
    }
}
