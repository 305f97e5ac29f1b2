package dev.wizmesh.testing;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts wizmesh apps as real processes from their jars and config/*.yml, the way run.sh does,
 * on free ports, registered with one registry, each domain service on a database of its own on
 * the given PostgreSQL server and on the test AMQP broker ({@link AmqpExtension#sharedBroker()}). Closing stops them all and drops the databases. Used by the
 * system tests and the benchmarks (both find the built jars under the repository's root).
 */
public final class ServiceProcesses implements AutoCloseable {
    public static final String TOKEN = "system-test-token";

    /** A started app and where it listens. */
    public record Running(String app, AppProcess process, int httpPort, int adminPort, int grpcPort, Map<String, String> env) {
        public URI url(String path) {
            return URI.create("http://127.0.0.1:" + httpPort + path);
        }
    }

    private final Path root;
    private final Path logDirectory;
    private final PostgresServer postgres;
    private final List<Running> running = new ArrayList<>();
    private final Map<String, String> databases = new HashMap<>();
    private final int registryPort = FreePorts.next();
    private final int registryAdminPort = FreePorts.next();
    private final Path keyFile;

    /** Apps from a module directory (system-tests, bench) of the repository: jars at ../app/target, logs in target/. */
    public ServiceProcesses(PostgresServer postgres) {
        this(Path.of(".."), Path.of("target"), postgres);
    }

    /** Apps built under {@code root} (jars at root/app/target, YAML at root/config), logs in {@code logDirectory}. */
    public ServiceProcesses(Path root, Path logDirectory, PostgresServer postgres) {
        this.root = root;
        this.logDirectory = logDirectory;
        this.postgres = postgres;
        this.keyFile = logDirectory.resolve("system-jwt-" + System.nanoTime() + ".pem");
    }

    public Running startRegistry() throws Exception {
        Map<String, String> env = Map.of(
                "REGISTRY_HTTP_PORT", Integer.toString(registryPort),
                "REGISTRY_ADMIN_PORT", Integer.toString(registryAdminPort),
                "REGISTRY_TOKEN", TOKEN);
        return start("registry-server", env, registryPort, registryAdminPort, 0);
    }

    /** user-svc, product-svc or order-svc, with its database, registered with the registry. */
    public Running startService(String app) throws Exception {
        return startService(app, Map.of());
    }

    /** The same, with {@code extra} environment (tuning, a crash drill). */
    public Running startService(String app, Map<String, String> extra) throws Exception {
        String prefix = app.toUpperCase().replace('-', '_');
        int http = FreePorts.next();
        int admin = FreePorts.next();
        int grpc = FreePorts.next();
        // one database per service for the whole run, shared by its instances, as in production
        String database = databases.computeIfAbsent(app, a -> UniqueNames.next() + "_" + a.replace("-svc", ""));
        Map<String, String> env = new HashMap<>();
        env.put(prefix + "_HTTP_PORT", Integer.toString(http));
        env.put(prefix + "_ADMIN_PORT", Integer.toString(admin));
        env.put(prefix + "_GRPC_PORT", Integer.toString(grpc));
        env.put(prefix + "_SHUTDOWN_GRACE", "3s");
        env.put("REGISTRY_URL", "http://127.0.0.1:" + registryPort);
        env.put("REGISTRY_TOKEN", TOKEN);
        env.putAll(postgres.serviceEnvironment(database, prefix + "_DB_NAME"));
        env.put("JWT_SIGNING_KEY_FILE", keyFile.toString());
        env.put("PASSWORD_HASH_COST", "4");
        // the test broker (embedded, or WIZMESH_TEST_AMQP_URI's), never whatever listens on 5672
        env.put("AMQP_URI", AmqpExtension.sharedBroker().uri().toString());
        env.putAll(extra);
        return start(app, env, http, admin, grpc);
    }

    /**
     * A new process of a stopped or killed app, on the same ports (so the same instance as far as
     * anyone can tell: order-svc resumes its own transactions at once), with {@code changes} to
     * its environment (an empty value removes a variable).
     */
    public Running restart(Running before, Map<String, String> changes) throws Exception {
        Running again = restartUnready(before, changes);
        again.process().awaitHttp(URI.create("http://127.0.0.1:" + again.adminPort() + "/health-check?type=ready"),
                Duration.ofSeconds(90));
        return again;
    }

    /** {@link #restart} without waiting for readiness: for a process that may halt on its way up (a crash drill). */
    public Running restartUnready(Running before, Map<String, String> changes) throws Exception {
        running.remove(before);
        before.process().close();
        Map<String, String> env = new HashMap<>(before.env());
        changes.forEach((k, v) -> {
            if (v.isEmpty()) {
                env.remove(k);
            } else {
                env.put(k, v);
            }
        });
        return launch(before.app(), env, before.httpPort(), before.adminPort(), before.grpcPort());
    }

    /** The gateway, registered like the services, with {@code extra} environment (rate limits...). */
    public Running startGateway(Map<String, String> extra) throws Exception {
        int http = FreePorts.next();
        int admin = FreePorts.next();
        Map<String, String> env = new HashMap<>(extra);
        env.put("GATEWAY_HTTP_PORT", Integer.toString(http));
        env.put("GATEWAY_ADMIN_PORT", Integer.toString(admin));
        env.put("GATEWAY_SHUTDOWN_GRACE", "3s");
        env.put("REGISTRY_URL", "http://127.0.0.1:" + registryPort);
        env.put("REGISTRY_TOKEN", TOKEN);
        return start("gateway", env, http, admin, 0);
    }

    private Running start(String app, Map<String, String> env, int http, int admin, int grpc) throws Exception {
        Running r = launch(app, env, http, admin, grpc);
        r.process().awaitHttp(URI.create("http://127.0.0.1:" + admin + "/health-check?type=ready"), Duration.ofSeconds(90));
        return r;
    }

    private Running launch(String app, Map<String, String> env, int http, int admin, int grpc) throws Exception {
        AppProcess process = AppProcess.builder()
                .jar(root.resolve(app + "/target/" + app + ".jar"))
                .config(root.resolve("config/" + app + ".yml")).command("server").env(env)
                .logFile(logDirectory.resolve(app + "-" + http + "-" + System.nanoTime() + ".log")).build().start();
        Running r = new Running(app, process, http, admin, grpc, Map.copyOf(env));
        running.add(r);
        return r;
    }

    /** The database {@code app}'s processes share (the app creates it on its first start), for checks made in SQL. */
    public String databaseOf(String app) {
        String database = databases.get(app);
        if (database == null) {
            throw new IllegalStateException(app + " was not started here");
        }
        return database;
    }

    public URI registryUrl(String path) {
        return URI.create("http://127.0.0.1:" + registryPort + path);
    }

    @Override
    public void close() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).process().close();
        }
        for (String database : databases.values()) {
            postgres.dropDatabase(database);
        }
    }
}
