package dev.wizmesh.bench.transactions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wizmesh.bench.CpuTime;
import dev.wizmesh.bench.Wrk;
import dev.wizmesh.bench.transactions.monolith.SingleDatabaseApplication;
import dev.wizmesh.testing.AppProcess;
import dev.wizmesh.testing.FreePorts;
import dev.wizmesh.testing.PostgresServer;
import dev.wizmesh.testing.ServiceApi;
import dev.wizmesh.testing.ServiceProcesses;
import dev.wizmesh.testing.ServiceProcesses.Running;
import dev.wizmesh.testing.UniqueNames;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The transactions benchmark (bench/transactions.sh): orders placed across user-svc, product-svc
 * and order-svc as a saga and as TCC, against the reference, the same order placed by one app in
 * one local transaction on one database ({@link SingleDatabaseApplication}), with the same wrk
 * load (bench/wrk/orders.lua) on the same data, in one run. The three are measured in turn,
 * {@code rounds} times, so a change in the machine's load hits all three. Afterwards it waits for
 * every order to settle and checks the books: the stock taken from every product is what the
 * CONFIRMED orders hold, in each of the two worlds. Prints a Markdown report for
 * docs/benchmarks.md.
 *
 * <p>PostgreSQL: the server {@code WIZMESH_TEST_POSTGRES_URL} names (bench/transactions.sh uses
 * the machine's on 127.0.0.1:5432 when it answers), else an embedded one.
 *
 * <p>Settings (environment): BENCH_ROUNDS (2), BENCH_SECONDS (20), BENCH_WARMUP_SECONDS (20, per
 * target, before round 1, so the JIT has compiled every path), BENCH_CONNECTIONS (16),
 * BENCH_THREADS (1), BENCH_BUYERS (50), BENCH_PRODUCTS (100).
 */
public final class TransactionBenchmark {
    private static final long STOCK = 10_000_000;
    private static final long BALANCE = 10_000_000_000L;

    private final Path root;
    private final int rounds = intEnv("BENCH_ROUNDS", 2);
    private final int seconds = intEnv("BENCH_SECONDS", 20);
    private final int warmup = intEnv("BENCH_WARMUP_SECONDS", 20);
    private final int connections = intEnv("BENCH_CONNECTIONS", 16);
    private final int threads = intEnv("BENCH_THREADS", 1);
    private final int buyerCount = intEnv("BENCH_BUYERS", 50);
    private final int productCount = intEnv("BENCH_PRODUCTS", 100);
    private final StringBuilder report = new StringBuilder();

    private TransactionBenchmark(Path root) {
        this.root = root;
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        new TransactionBenchmark(Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize()).run();
        System.exit(0);
    }

    private static int intEnv(String name, int fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
    }

    /** One way to place the orders, the processes whose CPU it costs and the databases it commits to. */
    private record Target(String name, String url, String mode, List<AppProcess> processes, List<String> databases) {
    }

    /** What one round measured of one target. */
    private record Measured(Wrk.Result load, double cpuSeconds, long commits, double idleCpuSeconds) {
    }

    private void run() throws Exception {
        if (!Wrk.available()) {
            throw new IllegalStateException("wrk is not on the PATH: bench/transactions.sh installs it (apt-get install -y wrk) as root");
        }
        PostgresServer postgres = PostgresServer.shared();
        Path logs = Files.createDirectories(root.resolve("var/log/bench"));
        Path data = Files.createDirectories(root.resolve("var/bench")).resolve("orders-data.txt");
        try (ServiceProcesses stack = new ServiceProcesses(root, logs, postgres)) {
            stack.startRegistry();
            Running users = stack.startService("user-svc");
            Running products = stack.startService("product-svc");
            Running orders = stack.startService("order-svc");

            String singleDatabase = UniqueNames.next() + "_single";
            int singlePort = FreePorts.next();
            int singleAdmin = FreePorts.next();
            Map<String, String> env = new HashMap<>(postgres.serviceEnvironment(singleDatabase, "SINGLE_DB_NAME"));
            env.put("SINGLE_DB_HTTP_PORT", Integer.toString(singlePort));
            env.put("SINGLE_DB_ADMIN_PORT", Integer.toString(singleAdmin));
            try (AppProcess single = AppProcess.builder()
                    .mainClass(SingleDatabaseApplication.class.getName(), System.getProperty("java.class.path"))
                    .command("server").config(root.resolve("bench/config/single-database.yml")).env(env)
                    .logFile(logs.resolve("single-database-" + singlePort + ".log")).build().start()) {
                single.awaitHttp(URI.create("http://127.0.0.1:" + singleAdmin + "/health-check?type=ready"), Duration.ofSeconds(90));

                Seed seed = seed(users, products);
                seed.writeTo(data);
                seedSingleDatabase(postgres, singleDatabase, seed);

                List<Target> targets = List.of(
                        new Target("single database", "http://127.0.0.1:" + singlePort, "local", List.of(single),
                                List.of(singleDatabase)),
                        new Target("saga", orders.url("").toString(), "saga",
                                List.of(orders.process(), products.process(), users.process()), serviceDatabases(stack)),
                        new Target("tcc", orders.url("").toString(), "tcc",
                                List.of(orders.process(), products.process(), users.process()), serviceDatabases(stack)));
                Map<String, List<Measured>> results = measure(postgres, targets, data);
                Map<String, Map<String, Long>> settled = new LinkedHashMap<>();
                settled.put("order-svc", awaitSettled(postgres, stack.databaseOf("order-svc"), Duration.ofSeconds(60)));
                settled.put("single database", awaitSettled(postgres, singleDatabase, Duration.ofSeconds(5)));
                String books = checkBooks(postgres, stack.databaseOf("product-svc"), stack.databaseOf("order-svc"), seed)
                        + "; " + checkBooks(postgres, singleDatabase, singleDatabase, seed);
                write(results, settled, books);
            }
        }
        System.out.println(report);
    }

    /** The tenant, its buyers (with money) and products (with stock) the orders are placed with, the same in both worlds. */
    private record Seed(UUID tenant, List<UUID> buyers, List<UUID> products, Map<UUID, Long> prices) {
        void writeTo(Path file) throws Exception {
            List<String> lines = new ArrayList<>();
            lines.add("tenant " + tenant);
            buyers.forEach(b -> lines.add("buyer " + b));
            products.forEach(p -> lines.add("product " + p));
            Files.write(file, lines);
        }
    }

    private Seed seed(Running users, Running products) {
        ServiceApi userSvc = new ServiceApi(users.httpPort());
        ServiceApi productSvc = new ServiceApi(products.httpPort());
        JsonNode tenant = expect(userSvc.post("/api/v1/tenants", ServiceApi.Caller.ANONYMOUS, Map.of("name", "Bench",
                "adminEmail", "admin@bench.test", "adminPassword", "correct horse battery")), 201);
        ServiceApi.Caller admin = new ServiceApi.Caller(tenant.get("tenantId").asText(), tenant.get("adminUserId").asText(), "admin");
        List<UUID> buyers = new ArrayList<>();
        for (int i = 0; i < buyerCount; i++) {
            JsonNode user = expect(userSvc.post("/api/v1/users", admin,
                    Map.of("email", "buyer" + i + "@bench.test", "password", "correct horse battery")), 201);
            UUID id = UUID.fromString(user.get("id").asText());
            expect(userSvc.send("POST", "/api/v1/users/" + id + "/wallet/credits", admin, Map.of("amountCents", BALANCE),
                    Map.of("Idempotency-Key", "bench-credit-" + id)), 201);
            buyers.add(id);
        }
        List<UUID> ids = new ArrayList<>();
        Map<UUID, Long> prices = new HashMap<>();
        for (int i = 0; i < productCount; i++) {
            long price = 100 + 97L * i;
            JsonNode product = expect(productSvc.post("/api/v1/products", admin, Map.of("sku", "B-" + i, "name", "Bench " + i,
                    "priceCents", price, "currency", "EUR", "stock", STOCK)), 201);
            UUID id = UUID.fromString(product.get("id").asText());
            ids.add(id);
            prices.put(id, price);
        }
        return new Seed(UUID.fromString(tenant.get("tenantId").asText()), buyers, ids, prices);
    }

    /** The same rows, written straight into the baseline's tables (as the superuser, past row-level security). */
    private static void seedSingleDatabase(PostgresServer postgres, String database, Seed seed) throws Exception {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(database), postgres.username(), postgres.password())) {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO products (id, tenant_id, name, price_cents, currency, available) VALUES (?, ?, ?, ?, 'EUR', ?)")) {
                for (UUID id : seed.products()) {
                    s.setObject(1, id);
                    s.setObject(2, seed.tenant());
                    s.setString(3, "Bench " + id);
                    s.setLong(4, seed.prices().get(id));
                    s.setLong(5, STOCK);
                    s.addBatch();
                }
                s.executeBatch();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO wallets (user_id, tenant_id, balance_cents, currency) VALUES (?, ?, ?, 'EUR')")) {
                for (UUID id : seed.buyers()) {
                    s.setObject(1, id);
                    s.setObject(2, seed.tenant());
                    s.setLong(3, BALANCE);
                    s.addBatch();
                }
                s.executeBatch();
            }
        }
    }

    private static List<String> serviceDatabases(ServiceProcesses stack) {
        return List.of(stack.databaseOf("order-svc"), stack.databaseOf("product-svc"), stack.databaseOf("user-svc"));
    }

    private Map<String, List<Measured>> measure(PostgresServer postgres, List<Target> targets, Path data) throws Exception {
        Map<String, List<Measured>> results = new LinkedHashMap<>();
        String runId = Long.toString(System.currentTimeMillis(), 36);
        for (Target t : targets) {
            wrk(t, data, runId + "w").run(t.url(), warmup);
            results.put(t.name(), new ArrayList<>());
        }
        for (int round = 1; round <= rounds; round++) {
            for (Target t : targets) {
                // the apps of the other targets sit idle meanwhile, on the same two cores: what that costs is measured too
                List<AppProcess> idle = targets.stream().flatMap(o -> o.processes().stream()).distinct()
                        .filter(p -> !t.processes().contains(p)).toList();
                long commitsBefore = commits(postgres, t.databases());
                double cpuBefore = cpu(t.processes());
                double idleBefore = cpu(idle);
                Wrk.Result r = wrk(t, data, runId + "r" + round).run(t.url(), seconds);
                double cpuSeconds = cpu(t.processes()) - cpuBefore;
                double idleSeconds = cpu(idle) - idleBefore;
                Thread.sleep(1500); // PostgreSQL publishes a backend's counters within a second of its last commit
                Measured m = new Measured(r, cpuSeconds, commits(postgres, t.databases()) - commitsBefore, idleSeconds);
                results.get(t.name()).add(m);
                System.err.printf("round %d %-16s %7.1f orders/s  p50 %6.1f ms  p99 %6.1f ms  %s  errors %d  cpu %.1f ms/order  "
                        + "%.1f commits/order  idle apps %.2f cores%n", round, t.name(), r.perSecond(), r.p50(), r.p99(), r.statuses(),
                        r.errors(), 1000 * m.cpuSeconds() / r.requests(), (double) m.commits() / r.requests(), idleSeconds / r.seconds());
            }
        }
        return results;
    }

    private Wrk wrk(Target t, Path data, String runId) {
        return new Wrk(root.resolve("bench/wrk/orders.lua"), threads, connections, data.toString(), t.mode(), runId + t.mode());
    }

    /** Transactions committed so far in {@code databases}, background work (recovery scans, sweepers) included. */
    private static long commits(PostgresServer postgres, List<String> databases) throws Exception {
        try (Connection c = DriverManager.getConnection(postgres.adminJdbcUrl(), postgres.username(), postgres.password());
                PreparedStatement s = c.prepareStatement("SELECT coalesce(sum(xact_commit), 0) FROM pg_stat_database WHERE datname = ANY(?)")) {
            s.setArray(1, c.createArrayOf("text", databases.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static double cpu(List<AppProcess> processes) {
        return CpuTime.seconds(() -> processes.stream().map(p -> ProcessHandle.of(p.pid()).orElseThrow()).toList());
    }

    /** Orders by status once none is PENDING any more (or {@code patience} ran out). */
    private static Map<String, Long> awaitSettled(PostgresServer postgres, String database, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Map<String, Long> byStatus = new TreeMap<>();
            try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(database), postgres.username(), postgres.password());
                    ResultSet rs = c.createStatement().executeQuery("SELECT status, count(*) FROM orders GROUP BY status")) {
                while (rs.next()) {
                    byStatus.put(rs.getString(1), rs.getLong(2));
                }
            }
            if (!byStatus.containsKey("PENDING") || System.nanoTime() > deadline) {
                return byStatus;
            }
            Thread.sleep(500);
        }
    }

    /** Whether the stock taken from every product is exactly what the CONFIRMED orders hold. */
    private static String checkBooks(PostgresServer postgres, String productDatabase, String orderDatabase, Seed seed) throws Exception {
        Map<UUID, Long> taken = new HashMap<>();
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(productDatabase), postgres.username(), postgres.password());
                ResultSet rs = c.createStatement().executeQuery("SELECT id, available FROM products")) {
            while (rs.next()) {
                taken.put(rs.getObject(1, UUID.class), STOCK - rs.getLong(2));
            }
        }
        Map<UUID, Long> sold = new HashMap<>();
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(orderDatabase), postgres.username(), postgres.password());
                ResultSet rs = c.createStatement().executeQuery("SELECT l.product_id, sum(l.quantity) FROM order_lines l "
                        + "JOIN orders o ON o.id = l.order_id WHERE o.status = 'CONFIRMED' GROUP BY l.product_id")) {
            while (rs.next()) {
                sold.put(rs.getObject(1, UUID.class), rs.getLong(2));
            }
        }
        long units = 0;
        int wrong = 0;
        for (UUID product : seed.products()) {
            long s = sold.getOrDefault(product, 0L);
            units += s;
            if (taken.getOrDefault(product, -1L) != s) {
                wrong++;
            }
        }
        return (wrong == 0 ? "books balance" : "BOOKS DO NOT BALANCE for " + wrong + " products") + " (" + units + " units sold, "
                + (productDatabase.equals(orderDatabase) ? "single database" : "across services") + ")";
    }

    private void write(Map<String, List<Measured>> results, Map<String, Map<String, Long>> settled, String books) {
        report.append(String.format("Transactions benchmark, %s: wrk %d thread(s), %d connections, %d s per target and round "
                        + "after %d s of warm-up per target, %d rounds; %d buyers, %d products, 1-2 lines of 1-2 units per order.%n%n",
                Instant.now(), threads, connections, seconds, warmup, rounds, buyerCount, productCount));
        report.append("| mode | orders/s (per round) | p50 | p99 | answers | CPU per order | commits per order | idle apps meanwhile "
                + "| vs single database |\n");
        report.append("|---|---|---|---|---|---|---|---|---|\n");
        double baseline = mean(results.values().iterator().next());
        for (Map.Entry<String, List<Measured>> e : results.entrySet()) {
            List<Measured> ms = e.getValue();
            StringBuilder perRound = new StringBuilder();
            double p50 = 0;
            double p99 = 0;
            double cpu = 0;
            double idle = 0;
            double measuredSeconds = 0;
            long commits = 0;
            long requests = 0;
            Map<Integer, Long> answers = new TreeMap<>();
            for (Measured m : ms) {
                perRound.append(perRound.length() == 0 ? "" : ", ").append(String.format("%.0f", m.load().perSecond()));
                p50 = Math.max(p50, m.load().p50());
                p99 = Math.max(p99, m.load().p99());
                cpu += m.cpuSeconds();
                commits += m.commits();
                idle += m.idleCpuSeconds();
                measuredSeconds += m.load().seconds();
                requests += m.load().requests();
                m.load().statuses().forEach((code, n) -> answers.merge(code, n, Long::sum));
                if (m.load().errors() > 0) {
                    answers.merge(0, m.load().errors(), Long::sum);
                }
            }
            report.append(String.format("| %s | **%.0f** (%s) | %.1f ms | %.1f ms | %s | %.1f ms | %.1f | %.2f cores | %.0f %% |%n",
                    e.getKey(), mean(ms), perRound, p50, p99, answers(answers), 1000 * cpu / requests, (double) commits / requests,
                    idle / measuredSeconds, 100 * mean(ms) / baseline));
        }
        report.append(String.format("%nOrders by status after the run (PENDING ones given 60 s to settle): %s. %s.%n"
                + "p50/p99: the worst round's; CPU per order: user + system time of the processes that serve the mode "
                + "(order-svc, product-svc and user-svc for saga and TCC), PostgreSQL and wrk not included; commits per order: "
                + "PostgreSQL's xact_commit in the mode's databases (reads count too: each is a transaction); idle apps meanwhile: "
                + "CPU of the other target's apps, idle during this one's rounds, in cores.%n", settled, books));
    }

    /** "201: 5120, 202: 3" with wrk's socket errors and timeouts (kept under 0) last. */
    private static String answers(Map<Integer, Long> byStatus) {
        List<String> parts = new ArrayList<>();
        byStatus.forEach((code, n) -> parts.add(code == 0 ? "errors: " + n : code + ": " + n));
        if (byStatus.containsKey(0)) {
            parts.add(parts.remove(0));
        }
        return String.join(", ", parts);
    }

    private static double mean(List<Measured> ms) {
        return ms.stream().mapToDouble(m -> m.load().perSecond()).average().orElse(0);
    }

    private static JsonNode expect(ServiceApi.Reply reply, int status) {
        if (reply.status() != status) {
            throw new IllegalStateException("the seed expected " + status + ", got " + reply.status() + ": " + reply.body());
        }
        return reply.body();
    }
}
