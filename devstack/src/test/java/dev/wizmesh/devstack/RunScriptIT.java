package dev.wizmesh.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wizmesh.testing.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The README's run command, end to end, as a learner uses it: {@code ./run.sh --scale
 * product-svc=2} brings up the devstack and every app as processes; {@code ./run.sh demo} walks
 * the API through the gateway; one product-svc instance is SIGKILLed and the gateway keeps
 * answering; {@code ./run.sh status} lists them; stopping run.sh stops everything, and no
 * process is left. Every port is a free one (a developer's own ./run.sh may be running), and the
 * pid files, logs and database live under target/.
 */
class RunScriptIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

    private final Path work = Path.of("target", "run-script-it").toAbsolutePath();
    private final Map<String, String> env = new HashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process runScript;

    @AfterEach
    void stopEverything() throws Exception {
        if (runScript != null && runScript.isAlive()) {
            runScript.destroyForcibly();
        }
        // whatever the test's outcome, nothing it started may outlive it
        for (long pid : recordedPids()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void runStartsTheSystemTheDemoWalksItAndStoppingLeavesNothingRunning() throws Exception {
        deleteRecursively(work);
        Files.createDirectories(work);
        env.put("WIZMESH_SKIP_BUILD", "1");   // the reactor has just built every jar
        env.put("WIZMESH_RUN_DIR", work.resolve("run").toString());
        env.put("WIZMESH_LOG_DIR", work.resolve("log").toString());
        env.put("DEVSTACK_DIR", work.resolve("devstack").toString());
        env.put("DEVSTACK_POSTGRES_PORT", Integer.toString(FreePorts.next()));
        int amqpPort = FreePorts.next();
        int redisPort = FreePorts.next();
        env.put("DEVSTACK_AMQP_PORT", Integer.toString(amqpPort));
        env.put("DEVSTACK_REDIS_PORT", Integer.toString(redisPort));
        env.put("JWT_SIGNING_KEY_FILE", work.resolve("jwt.pem").toString());
        int registryPort = FreePorts.next();
        env.put("REGISTRY_HTTP_PORT", Integer.toString(registryPort));
        env.put("REGISTRY_ADMIN_PORT", Integer.toString(FreePorts.next()));
        env.put("REGISTRY_URL", "http://127.0.0.1:" + registryPort);
        for (String prefix : List.of("USER_SVC", "PRODUCT_SVC", "ORDER_SVC", "CRON_SVC", "GATEWAY")) {
            env.put(prefix + "_HTTP_PORT", Integer.toString(FreePorts.next()));
            env.put(prefix + "_ADMIN_PORT", Integer.toString(FreePorts.next()));
        }
        env.put("USER_SVC_GRPC_PORT", Integer.toString(FreePorts.next()));
        env.put("PRODUCT_SVC_GRPC_PORT", Integer.toString(FreePorts.next()));
        String gateway = "http://127.0.0.1:" + env.get("GATEWAY_HTTP_PORT");

        Path output = work.resolve("run.out");
        runScript = script(output, "--scale", "product-svc=2").start();
        awaitLine(output, "all services ready");
        List<Long> pids = recordedPids();
        assertThat(pids).as("devstack, registry, 2 x product-svc, user, order, cron, gateway").hasSize(8);

        // the devstack's broker and Redis answer, and every app was started with their addresses
        String amqpUri = "amqp://guest:guest@127.0.0.1:" + amqpPort + "/%2F";
        String redisUrl = "redis://127.0.0.1:" + redisPort;
        assertThat(Files.readString(work.resolve("devstack/env"))).contains("AMQP_URI='" + amqpUri + "'",
                "REDIS_URL='" + redisUrl + "'");
        assertThat(accepts(amqpPort)).as("the AMQP broker's port").isTrue();
        assertThat(accepts(redisPort)).as("Redis's port").isTrue();
        long redisServer = Long.parseLong(Files.readString(work.resolve("devstack/redis/redis.pid")).trim());
        long devstack = Long.parseLong(Files.readString(work.resolve("run/devstack.pid")).trim());
        for (long pid : pids) {
            if (pid != devstack) {
                assertThat(environmentOf(pid)).as("the environment of app pid %d", pid)
                        .contains("AMQP_URI=" + amqpUri, "REDIS_URL=" + redisUrl);
            }
        }

        Result demo = run("demo");
        assertThat(demo.exitCode()).as(demo.output()).isZero();
        assertThat(demo.output()).contains("Tour complete: 25 calls", "curl -s -XPOST", "Idempotency-Key");

        // the tour's look around (docs/tour.md): the registry, readiness, metrics, breakers
        String registry = "http://127.0.0.1:" + registryPort;
        assertThat(get(registry + "/v1/services/product-svc")).contains("\"port\":" + env.get("PRODUCT_SVC_HTTP_PORT"),
                "\"port\":" + (Integer.parseInt(env.get("PRODUCT_SVC_HTTP_PORT")) + 100));
        assertThat(get("http://127.0.0.1:" + env.get("ORDER_SVC_ADMIN_PORT") + "/health-check?type=ready")).contains("postgresql");
        String gatewayAdmin = "http://127.0.0.1:" + env.get("GATEWAY_ADMIN_PORT");
        assertThat(get(gatewayAdmin + "/metrics/prometheus")).contains("gateway_requests_total");
        assertThat(get(gatewayAdmin + "/circuit-breakers")).contains("product-svc");

        // one product-svc instance dies; the gateway routes around it (retries, then ejection)
        String token = token(gateway);
        long victim = Long.parseLong(Files.readString(work.resolve("run/product-svc-2.pid")).trim());
        ProcessHandle.of(victim).orElseThrow().destroyForcibly();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            statuses.add(http.send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/products"))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
        }
        assertThat(statuses).as("GETs through the gateway after a SIGKILL").containsOnly(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (get(registry + "/v1/services/product-svc").contains("\"port\":" + (Integer.parseInt(env.get("PRODUCT_SVC_HTTP_PORT")) + 100))) {
            assertThat(System.nanoTime()).as("the registry still lists the killed instance after 10 s").isLessThan(deadline);
            Thread.sleep(100);
        }

        // password guessing meets the login route's rate limit (10, then 1 a second, per address)
        List<Integer> logins = new ArrayList<>();
        String retryAfter = null;
        for (int i = 0; i < 15; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/auth/login"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"tenantId\":\"" + java.util.UUID.randomUUID()
                            + "\",\"email\":\"nobody@demo.test\",\"password\":\"wrong\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            logins.add(r.statusCode());
            if (r.statusCode() == 429) {
                retryAfter = r.headers().firstValue("Retry-After").orElse(null);
            }
        }
        assertThat(logins).contains(401, 429);
        assertThat(retryAfter).isNotNull();

        Result status = run("status");
        assertThat(status.output()).contains("product-svc-2", "gateway", "devstack", gateway.replace("127.0.0.1", "localhost"),
                "amqp broker", "amqp://127.0.0.1:" + amqpPort, "redis", "redis://127.0.0.1:" + redisPort);

        // what Ctrl-C does in a terminal (a background job ignores SIGINT, so the test sends TERM)
        runScript.destroy();
        assertThat(runScript.waitFor(90, TimeUnit.SECONDS)).as("run.sh stops within 90 s").isTrue();
        String stopped = Files.readString(output);
        assertThat(stopped).contains("stopping gateway", "stopping devstack");
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %d still running", pid).isFalse();
        }
        assertThat(recordedPids()).as("pid files left").isEmpty();
        assertThat(ProcessHandle.of(redisServer).map(ProcessHandle::isAlive).orElse(false)).as("redis-server running").isFalse();
        assertThat(accepts(amqpPort)).as("the AMQP broker's port still open").isFalse();
        assertThat(accepts(redisPort)).as("Redis's port still open").isFalse();
    }

    private static boolean accepts(int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A process's environment as Linux shows it: NUL-separated NAME=value entries, one a line here. */
    private static String environmentOf(long pid) throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(pid), "environ"), StandardCharsets.ISO_8859_1)
                .replace('\0', '\n');
    }

    /** A fresh tenant's admin token, the way the demo gets one. */
    private String token(String gateway) throws IOException, InterruptedException {
        String suffix = Long.toString(System.nanoTime());
        String signup = post(gateway + "/api/v1/tenants", "{\"name\":\"E2E " + suffix + "\",\"adminEmail\":\"e2e-" + suffix
                + "@demo.test\",\"adminPassword\":\"correct horse battery\"}");
        String tenantId = signup.replaceAll(".*\"tenantId\":\"([^\"]+)\".*", "$1");
        String login = post(gateway + "/api/v1/auth/login", "{\"tenantId\":\"" + tenantId + "\",\"email\":\"e2e-" + suffix
                + "@demo.test\",\"password\":\"correct horse battery\"}");
        return login.replaceAll(".*\"accessToken\":\"([^\"]+)\".*", "$1");
    }

    private String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    private String post(String url, String json) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isBetween(200, 201);
        return r.body();
    }

    private ProcessBuilder script(Path output, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("run.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(env);
        return builder;
    }

    private record Result(int exitCode, String output) {
    }

    private Result run(String... args) throws IOException, InterruptedException {
        Path output = work.resolve(args[0] + ".out");
        Process process = script(output, args).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("./run.sh " + String.join(" ", args) + " did not finish:\n" + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private void awaitLine(Path output, String line) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.exists(output) ? Files.readString(output) : "";
            if (text.contains(line)) {
                return;
            }
            if (!runScript.isAlive()) {
                throw new AssertionError("run.sh exited with " + runScript.exitValue() + ":\n" + text);
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no '" + line + "' within " + START_TIMEOUT + ":\n" + Files.readString(output));
    }

    private List<Long> recordedPids() throws IOException {
        Path run = work.resolve("run");
        if (!Files.isDirectory(run)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(run)) {
            List<Long> pids = new ArrayList<>();
            for (Path f : files.filter(p -> p.toString().endsWith(".pid")).toList()) {
                String text = Files.readString(f).trim();
                if (!text.isEmpty()) {
                    pids.add(Long.parseLong(text));
                }
            }
            return pids;
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
