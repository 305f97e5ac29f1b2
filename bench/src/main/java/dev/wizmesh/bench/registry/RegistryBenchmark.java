package dev.wizmesh.bench.registry;

import dev.wizmesh.testing.AppProcess;
import dev.wizmesh.testing.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry benchmark (bench/registry.sh): starts registry-server from its jar and measures,
 * on this machine, change propagation to 1 and to 1,000 watchers, heartbeat throughput and
 * latency next to the bare HTTP stack's, heap per 10,000 instances, and how long a SIGKILLed
 * process stays in watchers' view. Prints a Markdown report for docs/benchmarks.md.
 */
public final class RegistryBenchmark {
    private static final String TOKEN = "bench-token";
    private static final Pattern INSTANCE_ID = Pattern.compile("\"instance\":\\{\"id\":\"([^\"]+)\"");
    private static final Pattern STATUS = Pattern.compile("\"status\":\"([A-Z_]+)\"");

    private final Path root;
    private final int port = FreePorts.next();
    private final int adminPort = FreePorts.next();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final StringBuilder report = new StringBuilder();

    private RegistryBenchmark(Path root) {
        this.root = root;
    }

    public static void main(String[] args) throws Exception {
        new RegistryBenchmark(Path.of(args.length > 0 ? args[0] : ".")).run();
    }

    private void run() throws Exception {
        Map<String, String> env = Map.of(
                "REGISTRY_HTTP_PORT", Integer.toString(port),
                "REGISTRY_ADMIN_PORT", Integer.toString(adminPort),
                "REGISTRY_TOKEN", TOKEN,
                "REGISTRY_LEASE_TTL", "300s",
                "REGISTRY_HEARTBEAT_INTERVAL", "100s",
                "LOG_LEVEL", "WARN");
        try (AppProcess registry = AppProcess.builder()
                .jar(root.resolve("registry-server/target/registry-server.jar"))
                .config(root.resolve("config/registry-server.yml")).command("server").env(env)
                .jvmArgs("-Xmx1g", "-XX:+UseG1GC")
                .logFile(root.resolve("var/log/bench-registry.log")).build().start()) {
            registry.awaitHttp(URI.create("http://127.0.0.1:" + adminPort + "/health-check?type=ready"), Duration.ofSeconds(60));
            line("| what | result |");
            line("|---|---|");
            propagation(1, 1_000, "prop1");
            propagation(1_000, 1_000, "prop1000");
            heapAndHeartbeats(10_000);
            killedProcess(100, 20);
        }
        System.out.println();
        System.out.println(report);
    }

    private void line(String s) {
        report.append(s).append('\n');
        System.out.println(s);
    }

    private URI app(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private int register(String service, String id) throws Exception {
        return http.send(HttpRequest.newBuilder(app("/v1/services/" + service + "/instances"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + id + "\",\"host\":\"127.0.0.1\",\"port\":1}")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Register → every watcher sees REGISTERED: the delay of each delivery. */
    private void propagation(int watcherCount, int changes, String service) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        double[] delays = new double[watcherCount * changes];
        AtomicInteger delivered = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(watcherCount * changes);
        try (Watchers ignored = new Watchers(app("/v1/watch?service=" + service), watcherCount, (data, at) -> {
            Matcher m = INSTANCE_ID.matcher(data);
            if (m.find()) {
                Long sent = sentAt.get(m.group(1));
                int i = delivered.getAndIncrement();
                if (sent != null && i < delays.length) {
                    delays[i] = (at - sent) / 1e6;
                    all.countDown();
                }
            }
        })) {
            for (int i = 0; i < changes; i++) {
                String id = service + "-" + i;
                int expected = (i + 1) * watcherCount;
                sentAt.put(id, System.nanoTime());
                register(service, id);
                // one change at a time, each measured on its own: the delay of a change, not of a queue
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (delivered.get() < expected && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
            }
            if (!all.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + delivered.get() + " of " + delays.length + " deliveries arrived");
            }
        }
        line(String.format("| propagation, register → %,d watcher(s), %,d changes | %s |", watcherCount, changes,
                Percentiles.of(delays).ms()));
    }

    private long heapUsedAfterGc() throws Exception {
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/tasks/gc"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        Thread.sleep(500);
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\"} ([0-9.eE+]+)").matcher(metrics);
        if (!m.find()) {
            throw new IllegalStateException("no heap gauge in the scrape");
        }
        return (long) Double.parseDouble(m.group(1));
    }

    private void heapAndHeartbeats(int instances) throws Exception {
        long before = heapUsedAfterGc();
        Semaphore inFlight = new Semaphore(32);
        for (int i = 0; i < instances; i++) {
            inFlight.acquire();
            http.sendAsync(HttpRequest.newBuilder(app("/v1/services/fleet-" + (i % 100) + "/instances"))
                    .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"i" + i + "\",\"host\":\"10.0." + (i / 250) + "." + (i % 250)
                            + "\",\"port\":8080,\"version\":\"1.0.0\",\"zone\":\"z1\",\"metadata\":{\"adminPort\":\"8081\"}}")).build(),
                    HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> inFlight.release());
        }
        inFlight.acquire(32);
        inFlight.release(32);
        long after = heapUsedAfterGc();
        line(String.format("| heap with %,d instances (after GC) | %.0f MB in all; %.0f MB more than empty (%.1f KB per instance) |",
                instances, after / 1e6, (after - before) / 1e6, (after - before) / 1e3 / instances));

        RawHttpLoad.Result heartbeats;
        RawHttpLoad.Result ping;
        String generator;
        if (WrkLoad.available()) {
            // wrk, one thread: the server gets the cores. The reference is measured the same way.
            Path script = root.resolve("bench/wrk/registry.lua");
            heartbeats = WrkLoad.run(script, "http://127.0.0.1:" + port, 1, 64, 3, 10, Integer.toString(instances), TOKEN);
            ping = WrkLoad.run(script, "http://127.0.0.1:" + adminPort + "/ping", 1, 64, 3, 10);
            generator = "wrk";
        } else {
            String auth = "Authorization: Bearer " + TOKEN + "\r\n";
            heartbeats = RawHttpLoad.run("127.0.0.1", port, 64, 3, 10, i ->
                    "PUT /v1/services/fleet-" + (i % 100) + "/instances/i" + (i % instances) + "/heartbeat HTTP/1.1\r\nHost: registry\r\n"
                            + auth + "Content-Length: 0\r\n\r\n");
            ping = RawHttpLoad.run("127.0.0.1", adminPort, 64, 3, 10, i ->
                    "GET /ping HTTP/1.1\r\nHost: registry\r\n\r\n");
            generator = "RawHttpLoad (no wrk on the PATH)";
        }
        line(String.format("| heartbeats, 64 keep-alive connections for 10 s, %s | %,.0f/s, latency %s, %d errors |",
                generator, heartbeats.perSecond(), heartbeats.latency().ms(), heartbeats.errors()));
        line(String.format("| reference: Dropwizard admin `/ping` on the same server, same load | %,.0f/s, latency %s (heartbeats at %.0f %% of it) |",
                ping.perSecond(), ping.latency().ms(), 100 * heartbeats.perSecond() / ping.perSecond()));
    }

    /** A process holding a session is SIGKILLed: when has every watcher seen it go DOWN? */
    private void killedProcess(int watcherCount, int kills) throws Exception {
        double[] lastWatcher = new double[kills];
        String registryUrl = "http://127.0.0.1:" + port;
        Path jar = root.resolve("bench/target/bench.jar");
        for (int k = 0; k < kills; k++) {
            String id = "victim-" + k;
            CountDownLatch registered = new CountDownLatch(watcherCount);
            CountDownLatch down = new CountDownLatch(watcherCount);
            AtomicLong lastDownAt = new AtomicLong();
            try (Watchers ignored = new Watchers(app("/v1/watch?service=victims"), watcherCount, (data, at) -> {
                Matcher m = INSTANCE_ID.matcher(data);
                if (m.find() && m.group(1).equals(id)) {
                    Matcher s = STATUS.matcher(data);
                    boolean gone = data.contains("\"type\":\"EXPIRED\"") || data.contains("\"type\":\"DEREGISTERED\"")
                            || (s.find() && !s.group(1).equals("UP"));
                    if (gone) {
                        lastDownAt.accumulateAndGet(at, Math::max);
                        down.countDown();
                    } else {
                        registered.countDown();
                    }
                }
            });
                 AppProcess holder = AppProcess.builder().mainClass(SessionHolder.class.getName(), jar.toString())
                         .args(registryUrl, TOKEN, "victims", id)
                         .logFile(root.resolve("var/log/bench-session-holder.log")).build().start()) {
                if (!registered.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the session holder did not register");
                }
                Thread.sleep(300); // its session stream is open by now
                long killedAt = System.nanoTime();
                holder.kill();
                if (!down.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("watchers did not see " + id + " go");
                }
                lastWatcher[k] = (lastDownAt.get() - killedAt) / 1e6;
            }
        }
        line(String.format("| SIGKILLed process gone from all %d watchers' view (%d kills) | %s |", watcherCount, kills,
                Percentiles.of(lastWatcher).ms()));
    }
}
