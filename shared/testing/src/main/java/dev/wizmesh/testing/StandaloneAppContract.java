package dev.wizmesh.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every wizmesh app must do as a real process, from its shaded jar and its YAML in
 * config/: pass its own {@code check} command, start, answer its admin endpoints (health,
 * readiness, Prometheus text), answer unknown routes with the JSON error shape, and stop on
 * SIGTERM within its grace period. Each app module has a one-line subclass.
 */
public abstract class StandaloneAppContract {
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final String app;
    private final String envPrefix;
    private final HttpClient http = HttpClient.newHttpClient();

    /**
     * @param app       the module and jar name, e.g. {@code user-svc}
     * @param envPrefix the prefix of its port variables in its YAML, e.g. {@code USER_SVC}
     */
    protected StandaloneAppContract(String app, String envPrefix) {
        this.app = app;
        this.envPrefix = envPrefix;
    }

    /**
     * True when every health check can pass with only {@link #extraEnvironment()}: false for an
     * app whose non-critical checks need a peer service (the gateway's JWKS from user-svc).
     */
    protected boolean dependenciesPresentWhenAlone() {
        return true;
    }

    /** Extra environment the app needs to start (dependencies' URLs); none by default. */
    protected Map<String, String> extraEnvironment() {
        return Map.of();
    }

    private Path jar() {
        return Path.of("target", app + ".jar");
    }

    private Path config() {
        return Path.of("..", "config", app + ".yml");
    }

    private AppProcess.Builder process(int httpPort, int adminPort) {
        Map<String, String> env = new java.util.HashMap<>(extraEnvironment());
        env.put(envPrefix + "_HTTP_PORT", Integer.toString(httpPort));
        env.put(envPrefix + "_ADMIN_PORT", Integer.toString(adminPort));
        env.put(envPrefix + "_SHUTDOWN_GRACE", GRACE.toSeconds() + "s");
        // alone here: no registry to register with (the discovery system tests cover that)
        env.putIfAbsent("DISCOVERY_MODE", "static");
        return AppProcess.builder().jar(jar()).config(config()).env(env)
                .logFile(Path.of("target", app + "-" + httpPort + ".log"));
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void passesItsOwnCheckCommand() throws Exception {
        assertThat(jar()).as("the shaded jar (built by mvn package)").exists();
        assertThat(Files.exists(config())).as("config/" + app + ".yml").isTrue();
        AppProcess.RunResult result = process(FreePorts.next(), FreePorts.next()).command("check").build().run(Duration.ofSeconds(60));
        // the exit code is the verdict: "Configuration is OK" goes through Dropwizard's
        // asynchronous log appender, which a JVM exiting at once may not flush
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void checkCommandRejectsABadValueNamingIt() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(extraEnvironment());
        env.put(envPrefix + "_HTTP_PORT", "not-a-port");
        env.put("DISCOVERY_MODE", "static");
        AppProcess.RunResult result = AppProcess.builder().jar(jar()).config(config()).env(env).command("check")
                .logFile(Path.of("target", app + "-bad-config-" + FreePorts.next() + ".log")).build().run(Duration.ofSeconds(60));
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("has an error").contains("applicationConnectors.[0].port");
    }

    @Test
    void startsAnswersItsAdminEndpointsAndStopsOnSigterm() throws Exception {
        int httpPort = FreePorts.next();
        int adminPort = FreePorts.next();
        try (AppProcess process = process(httpPort, adminPort).command("server").build().start()) {
            process.awaitHttp(URI.create("http://127.0.0.1:" + adminPort + "/health-check?type=ready"), Duration.ofSeconds(60));

            HttpResponse<String> health = get(adminPort, "/healthcheck");
            if (dependenciesPresentWhenAlone()) {
                assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            } else {
                // a non-critical dependency is missing when alone: reported, not fatal (ready above)
                assertThat(health.statusCode()).as(health.body()).isIn(200, 500);
                assertThat(health.body()).startsWith("{").contains("\"deadlocks\"");
            }
            assertThat(get(adminPort, "/health-check?type=alive").statusCode()).isEqualTo(200);

            get(httpPort, "/no/such/route");
            HttpResponse<String> metrics = get(adminPort, "/metrics/prometheus");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(PrometheusText.invalidLines(metrics.body())).isEmpty();
            assertThat(metrics.body()).contains("http_server_requests_total{method=\"GET\",route=\"UNMATCHED\",status=\"4xx\"}")
                    .contains("jvm_memory_used_bytes");

            HttpResponse<String> notFound = get(httpPort, "/no/such/route");
            assertThat(notFound.statusCode()).isEqualTo(404);
            assertThat(notFound.body()).contains("\"code\":\"ROUTE_NOT_FOUND\"").contains("\"requestId\"").contains("\"traceId\"");

            AppProcess.StopResult stopped = process.stop(GRACE.plusSeconds(10));
            assertThat(stopped.exitCode()).isIn(0, AppProcess.SIGTERM_EXIT_CODE);
            assertThat(stopped.took()).isLessThan(GRACE.plusSeconds(5));
        }
    }
}
