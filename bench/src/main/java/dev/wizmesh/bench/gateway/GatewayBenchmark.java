package dev.wizmesh.bench.gateway;

import dev.wizmesh.bench.CpuTime;
import dev.wizmesh.bench.Wrk;
import dev.wizmesh.testing.AppProcess;
import dev.wizmesh.testing.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway benchmark (bench/gateway.sh): one upstream, measured in the same run directly,
 * through nginx (reverse proxy, keep-alive pool to the upstream) and through the gateway (JWT
 * auth, the local rate limiter, tracing sampled at 1 %, production access log), with the same
 * wrk load on loopback. The three are measured in turn, {@code rounds} times, so a change in the
 * machine's load hits all three. Prints a Markdown report for docs/benchmarks.md.
 *
 * <p>Settings (environment): BENCH_ROUNDS (3), BENCH_SECONDS (15), BENCH_WARMUP_SECONDS (5),
 * BENCH_CONNECTIONS (64), BENCH_THREADS (1), BENCH_USERS (100 tokens, one bucket each),
 * BENCH_GATEWAY_HEAP (-Xmx for the gateway, 256m: the target), BENCH_GATEWAY_WARMUP_SECONDS (60:
 * load on the gateway alone before round 1, so the JIT has compiled the request path; nginx has
 * nothing to warm up), BENCH_GATEWAY_JVM_ARGS (extra flags, e.g. a JFR recording),
 * BENCH_ROUTES (10000: a second gateway, the same in every way but with that many routes, is a
 * fourth path, so the cost of a large route table is measured within each round; 0 or 1: none).
 */
public final class GatewayBenchmark {
    private static final Pattern HEAP = Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\"} ([0-9.eE+]+)");

    private final Path root;
    private final int rounds = intEnv("BENCH_ROUNDS", 3);
    private final int seconds = intEnv("BENCH_SECONDS", 15);
    private final int warmup = intEnv("BENCH_WARMUP_SECONDS", 5);
    private final int users = intEnv("BENCH_USERS", 100);
    private final String gatewayHeap = System.getenv().getOrDefault("BENCH_GATEWAY_HEAP", "256m");
    private final int gatewayWarmup = intEnv("BENCH_GATEWAY_WARMUP_SECONDS", 60);
    private final String gatewayJvmArgs = System.getenv().getOrDefault("BENCH_GATEWAY_JVM_ARGS", "").trim();
    private final int gatewayPort = FreePorts.next();
    private final int adminPort = FreePorts.next();
    private final int manyRoutes = intEnv("BENCH_ROUTES", 10_000);
    private final int manyRoutesPort = FreePorts.next();
    private final int manyRoutesAdminPort = FreePorts.next();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final StringBuilder report = new StringBuilder();

    private GatewayBenchmark(Path root) {
        this.root = root;
    }

    public static void main(String[] args) throws Exception {
        // this JVM's own libraries (Jetty, the JDK client) log at WARN, not logback's default DEBUG
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        new GatewayBenchmark(Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize()).run();
        System.exit(0);
    }

    private static int intEnv(String name, int fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
    }

    /** One way to reach the upstream. */
    private record Target(String name, String url, Supplier<List<ProcessHandle>> processes) {
    }

    private void run() throws Exception {
        if (!Wrk.available()) {
            throw new IllegalStateException("wrk is not on the PATH: bench/gateway.sh installs it (apt-get install -y wrk) as root");
        }
        Path work = root.resolve("var/bench/gateway");
        Files.createDirectories(work);
        String loadAtStart = loadAverage();
        try (Upstream upstream = new Upstream(); BenchKeys keys = new BenchKeys()) {
            Path tokens = work.resolve("tokens.txt");
            Files.write(tokens, keys.tokens(users, Duration.ofHours(2)));
            Wrk wrk = new Wrk(root.resolve("bench/wrk/gateway.lua"), intEnv("BENCH_THREADS", 1),
                    intEnv("BENCH_CONNECTIONS", 64), tokens.toString());
            String token = Files.readAllLines(tokens).get(0);

            Map<String, String> env = new LinkedHashMap<>();
            env.put("GATEWAY_HTTP_PORT", Integer.toString(gatewayPort));
            env.put("GATEWAY_ADMIN_PORT", Integer.toString(adminPort));
            env.put("GATEWAY_BIND_HOST", "127.0.0.1");
            env.put("DISCOVERY_MODE", "static");
            // a policy far above what the run can send: every request pays for its decision, none is refused
            env.put("RATE_LIMIT_BURST", "1000000000");
            env.put("RATE_LIMIT_RATE", "1000000000");
            Path yaml = BenchGatewayConfig.write(root.resolve("config/gateway.yml"), env, work.resolve("gateway-bench.yml"),
                    upstream.port(), keys.jwksUrl(), keys.otlpEndpoint());
            // a copy, so a build that rewrites gateway/target during the run cannot pull the jar from under the JVM
            Path jar = Files.copy(root.resolve("gateway/target/gateway.jar"), work.resolve("gateway.jar"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Path gatewayLog = root.resolve("var/log/bench-gateway.log");
            Files.deleteIfExists(gatewayLog);
            try (AppProcess gateway = AppProcess.builder()
                    .jar(jar).command("server").config(yaml).env(env)
                    .jvmArgs(jvmArgs())
                    .logFile(gatewayLog).build().start()) {
                gateway.awaitHttp(URI.create("http://127.0.0.1:" + adminPort + "/health-check?type=ready"), Duration.ofSeconds(90));
                String nginxBinary = NginxProxy.binary();
                NginxProxy nginx = null;
                try {
                    if (nginxBinary != null) {
                        nginx = NginxProxy.start(nginxBinary, work.resolve("nginx"), FreePorts.next(), upstream.port());
                    } else {
                        System.err.println("nginx not found (bench/gateway.sh installs Debian's nginx as root): no nginx reference in this run");
                    }
                    long selfPid = ProcessHandle.current().pid();
                    List<Target> targets = new ArrayList<>();
                    targets.add(new Target("direct", "http://127.0.0.1:" + upstream.port() + BenchGatewayConfig.PATH, List::of));
                    if (nginx != null) {
                        NginxProxy n = nginx;
                        targets.add(new Target("nginx", "http://127.0.0.1:" + n.port() + BenchGatewayConfig.PATH, n::processes));
                    }
                    AppProcess routesGateway = null;
                    if (manyRoutes > 1) {
                        Map<String, String> env2 = new LinkedHashMap<>(env);
                        env2.put("GATEWAY_HTTP_PORT", Integer.toString(manyRoutesPort));
                        env2.put("GATEWAY_ADMIN_PORT", Integer.toString(manyRoutesAdminPort));
                        Path yaml2 = BenchGatewayConfig.write(root.resolve("config/gateway.yml"), env2,
                                work.resolve("gateway-bench-routes.yml"), upstream.port(), keys.jwksUrl(), keys.otlpEndpoint(),
                                manyRoutes - 1);
                        routesGateway = AppProcess.builder().jar(jar).command("server").config(yaml2).env(env2)
                                .jvmArgs(jvmArgs()).logFile(root.resolve("var/log/bench-gateway-routes.log")).build().start();
                        routesGateway.awaitHttp(URI.create("http://127.0.0.1:" + manyRoutesAdminPort + "/health-check?type=ready"),
                                Duration.ofSeconds(120));
                        AppProcess g2 = routesGateway;
                        targets.add(new Target(manyRoutesName(), "http://127.0.0.1:" + manyRoutesPort + BenchGatewayConfig.PATH,
                                () -> List.of(ProcessHandle.of(g2.pid()).orElseThrow())));
                    }
                    targets.add(new Target("gateway", "http://127.0.0.1:" + gatewayPort + BenchGatewayConfig.PATH,
                            () -> List.of(ProcessHandle.of(gateway.pid()).orElseThrow())));
                    try {
                        preflight(targets, token);
                        measure(targets, wrk, selfPid, gateway, keys, loadAtStart, nginxBinary);
                    } finally {
                        if (routesGateway != null) {
                            routesGateway.close();
                        }
                    }
                } finally {
                    if (nginx != null) {
                        nginx.close();
                    }
                }
            }
        }
        System.out.println();
        System.out.println(report);
    }

    /** Every path answers the upstream's body; the gateway refuses a request without a token and rate-limits. */
    private String manyRoutesName() {
        return String.format("gateway, %,d routes", manyRoutes);
    }

    private void preflight(List<Target> targets, String token) throws Exception {
        for (Target t : targets) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(t.url()))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 || !r.body().equals(Upstream.BODY)) {
                throw new IllegalStateException(t.name() + " answered " + r.statusCode() + ": " + r.body());
            }
            if (t.name().equals("gateway") && r.headers().firstValue("X-RateLimit-Limit").isEmpty()) {
                throw new IllegalStateException("the gateway's answer has no X-RateLimit-Limit: is the limiter on? " + r.headers());
            }
        }
        Target gateway = targets.get(targets.size() - 1);
        int anonymous = http.send(HttpRequest.newBuilder(URI.create(gateway.url())).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        if (anonymous != 401) {
            throw new IllegalStateException("the gateway answered " + anonymous + " without a token, not 401: is auth on?");
        }
    }

    private record Measured(Wrk.Result load, double proxyCpuSeconds, double upstreamCpuSeconds) {
        double proxyCpuMicrosPerRequest() {
            return proxyCpuSeconds * 1e6 / load.requests();
        }
    }

    private String[] jvmArgs() {
        List<String> args = new ArrayList<>(List.of("-Xmx" + gatewayHeap, "-XX:+UseG1GC"));
        if (!gatewayJvmArgs.isEmpty()) {
            args.addAll(Arrays.asList(gatewayJvmArgs.split("\\s+")));
        }
        return args.toArray(String[]::new);
    }

    private void measure(List<Target> targets, Wrk wrk, long selfPid, AppProcess gateway, BenchKeys keys,
                         String loadAtStart, String nginxBinary) throws Exception {
        Map<String, List<Measured>> results = new LinkedHashMap<>();
        targets.forEach(t -> results.put(t.name(), new ArrayList<>()));
        List<String> roundLoads = new ArrayList<>();
        line(String.format("Gateway benchmark, %s. wrk: %d thread(s), %d keep-alive connections, %d s after %d s of warm-up, "
                        + "GET %s with a bearer token (%d users, cycled); %d rounds, the paths in turn each round.",
                Instant.now(), wrk.threads(), wrk.connections(), seconds, warmup, BenchGatewayConfig.PATH, users, rounds));
        line("");
        line("Load average at the start: " + loadAtStart + ". CPUs: " + Runtime.getRuntime().availableProcessors() + ".");
        line("");
        Target gatewayTarget = targets.get(targets.size() - 1);
        if (gatewayWarmup > 0) {
            for (Target t : targets) {
                if (t.name().startsWith("gateway, ")) {
                    wrk.run(t.url(), gatewayWarmup);
                }
            }
            wrk.run(gatewayTarget.url(), gatewayWarmup);
            line(String.format("The gateway ran under the same load for %d s before round 1 (the JIT compiles its request path; "
                    + "round 1 without it measured 0.07× nginx).", gatewayWarmup));
            line("");
        }
        line("| round | path | requests/s | p50 | p90 | p99 | p99.9 | max | errors | proxy CPU per request | upstream+wrk-parent CPU |");
        line("|---|---|---|---|---|---|---|---|---|---|---|");
        for (int round = 1; round <= rounds; round++) {
            for (Target t : targets) {
                wrk.run(t.url(), warmup);
                double proxyBefore = CpuTime.seconds(t.processes());
                double selfBefore = CpuTime.seconds(selfPid);
                Wrk.Result r = wrk.run(t.url(), seconds);
                Measured m = new Measured(r, CpuTime.seconds(t.processes()) - proxyBefore, CpuTime.seconds(selfPid) - selfBefore);
                results.get(t.name()).add(m);
                line(String.format("| %d | %s | %,.0f | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.1f ms | %d | %s | %.2f cores |",
                        round, t.name(), r.perSecond(), r.p50(), r.p90(), r.p99(), r.p999(), r.max(), r.errors(),
                        t.name().equals("direct") ? "–" : String.format("%.0f µs (%.2f cores)", m.proxyCpuMicrosPerRequest(),
                                m.proxyCpuSeconds() / r.seconds()),
                        m.upstreamCpuSeconds() / r.seconds()));
            }
            roundLoads.add(loadAverage());
        }
        String loadAtEnd = loadAverage();
        line("");
        line("Load average after each round: " + String.join("; ", roundLoads) + ".");
        line("");

        // medians over the rounds; ratios per round, then their median
        line("| path (median of " + rounds + " rounds) | requests/s | p50 | p99 | errors |");
        line("|---|---|---|---|---|");
        for (Map.Entry<String, List<Measured>> e : results.entrySet()) {
            List<Measured> ms = e.getValue();
            line(String.format("| %s | %,.0f | %.2f ms | %.2f ms | %d |", e.getKey(),
                    median(ms.stream().mapToDouble(m -> m.load().perSecond()).toArray()),
                    median(ms.stream().mapToDouble(m -> m.load().p50()).toArray()),
                    median(ms.stream().mapToDouble(m -> m.load().p99()).toArray()),
                    ms.stream().mapToLong(m -> m.load().errors()).sum()));
        }
        line("");
        List<Measured> direct = results.get("direct");
        List<Measured> gw = results.get("gateway");
        List<Measured> ng = results.get("nginx");
        double[] addedP99 = new double[rounds];
        double[] addedP50 = new double[rounds];
        double[] throughputVsNginx = new double[rounds];
        double[] p99VsNginx = new double[rounds];
        double[] throughputVsDirect = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            addedP99[i] = gw.get(i).load().p99() - direct.get(i).load().p99();
            addedP50[i] = gw.get(i).load().p50() - direct.get(i).load().p50();
            throughputVsDirect[i] = gw.get(i).load().perSecond() / direct.get(i).load().perSecond();
            if (ng != null) {
                throughputVsNginx[i] = gw.get(i).load().perSecond() / ng.get(i).load().perSecond();
                p99VsNginx[i] = gw.get(i).load().p99() / ng.get(i).load().p99();
            }
        }
        line("| figure | per round | median | target |");
        line("|---|---|---|---|");
        if (ng != null) {
            double t = median(throughputVsNginx);
            line(String.format("| gateway/nginx requests/s | %s | **%.2f×** | ≥ 0.8×: **%s** |", list(throughputVsNginx, "%.2f×"), t,
                    t >= 0.8 ? "met" : "missed"));
            line(String.format("| gateway/nginx p99 | %s | %.2f× | – |", list(p99VsNginx, "%.2f×"), median(p99VsNginx)));
            double[] ngAdded = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                ngAdded[i] = ng.get(i).load().p99() - direct.get(i).load().p99();
            }
            line(String.format("| nginx p99 − direct p99 (for scale) | %s | %.2f ms | – |", list(ngAdded, "%.2f ms"), median(ngAdded)));
        } else {
            line("| gateway/nginx | no nginx in this run | – | ≥ 0.8×: not measured |");
        }
        line(String.format("| gateway/direct requests/s | %s | %.2f× | – |", list(throughputVsDirect, "%.2f×"), median(throughputVsDirect)));
        line(String.format("| gateway p50 − direct p50 | %s | %.2f ms | – |", list(addedP50, "%.2f ms"), median(addedP50)));
        double added = median(addedP99);
        line(String.format("| gateway p99 − direct p99 | %s | **%.2f ms** | ≤ 2 ms: **%s** |", list(addedP99, "%.2f ms"), added,
                added <= 2.0 ? "met" : "missed"));

        List<Measured> routed = results.get(manyRoutesName());
        if (routed != null) {
            double[] cost = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                cost[i] = 100 * (1 - routed.get(i).load().perSecond() / gw.get(i).load().perSecond());
            }
            double c = median(cost);
            line(String.format("| throughput lost to %,d routes (vs the same gateway with 1) | %s | **%.1f %%** | ≤ 5 %%: **%s** |",
                    manyRoutes, list(cost, "%.1f %%"), c, c <= 5 ? "met" : "missed"));
        }
        long heap = heapUsedAfterGc();
        long[] rss = CpuTime.rssAndPeak(gateway.pid());
        line(String.format("| gateway heap used after GC (run with -Xmx%s) | – | **%.0f MB** | ≤ 256 MB: **%s** |", gatewayHeap,
                heap / 1e6, heap <= 256L * 1024 * 1024 ? "met" : "missed"));
        line(String.format("| gateway RSS after the run / peak | – | %.0f MB / %.0f MB | – |", rss[0] / 1e6, rss[1] / 1e6));
        line("");
        long logBytes = Files.size(gateway.logFile());
        line(String.format("Load average at the end: %s. nginx: %s. Gateway: JWKS fetched %d time(s); %d OTLP trace exports "
                        + "(%,d bytes) received; its log (access log included) %,.0f MB.",
                loadAtEnd, nginxBinary == null ? "not found" : nginxVersion(nginxBinary), keys.jwksFetches(), keys.traceExports(),
                keys.traceBytes(), logBytes / 1e6));
    }

    private static String list(double[] values, String format) {
        List<String> parts = new ArrayList<>();
        for (double v : values) {
            parts.add(String.format(format, v));
        }
        return String.join(", ", parts);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private long heapUsedAfterGc() throws Exception {
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/tasks/gc"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        Thread.sleep(500);
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = HEAP.matcher(metrics);
        if (!m.find()) {
            throw new IllegalStateException("no heap gauge in the gateway's scrape");
        }
        return (long) Double.parseDouble(m.group(1));
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static String nginxVersion(String binary) {
        try {
            Process p = new ProcessBuilder(binary, "-v").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return v.replace("nginx version: ", "");
        } catch (Exception e) {
            return binary;
        }
    }

    private void line(String s) {
        report.append(s).append('\n');
        System.out.println(s);
    }
}
