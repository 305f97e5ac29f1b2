package dev.wizmesh.bench.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import dev.wizmesh.messaging.connection.AmqpConnection;
import dev.wizmesh.messaging.connection.AmqpFactory;
import dev.wizmesh.messaging.connection.MessagingMetrics;
import dev.wizmesh.messaging.consumer.QueueConsumer;
import dev.wizmesh.messaging.event.Event;
import dev.wizmesh.messaging.event.EventExchange;
import dev.wizmesh.messaging.event.EventJson;
import dev.wizmesh.messaging.outbox.Outbox;
import dev.wizmesh.messaging.outbox.OutboxRelay;
import dev.wizmesh.messaging.publish.ConfirmedPublisher;
import dev.wizmesh.persistence.Database;
import dev.wizmesh.persistence.DatabaseFactory;
import dev.wizmesh.testing.AmqpExtension;
import dev.wizmesh.testing.PostgresDatabase;
import dev.wizmesh.testing.PostgresServer;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The messaging benchmark (bench/messaging.sh; results in docs/benchmarks.md): the outbox path against a
 * reference on the same broker and the same PostgreSQL, in one run, as ratios.
 *
 * <ul>
 *   <li><b>relay throughput</b>: {@code BENCH_RELAY_EVENTS} committed outbox rows (one aggregate each), then an
 *   {@link OutboxRelay} with the shipped settings (batches of 100, confirms) is started; events/s from its start
 *   until every row is marked sent (each confirmed by the broker into a durable queue). <b>Reference</b>: the same
 *   envelopes, properties and queue, published by a plain amqp-client loop in confirm mode, 100 per window
 *   ({@code waitForConfirmsOrDie}): the broker's and client's floor without the database;</li>
 *   <li><b>end-to-end latency</b>: at {@code BENCH_RATE} events/s (open loop, 8 producer threads) for
 *   {@code BENCH_SECONDS}, each event committed with a business row in one transaction through the outbox, relayed
 *   (poll 500 ms when idle, as shipped), consumed by a {@link QueueConsumer} with its inbox; latency from the
 *   commit's return to the handler. <b>Reference</b>: publish-after-commit, the same row committed, then the same
 *   envelope published with a confirm at once (the two holes the outbox closes, docs/messaging.md), consumed the
 *   same way.</li>
 * </ul>
 * Rounds alternate the path and its reference ({@code BENCH_ROUNDS}); the first {@code BENCH_WARMUP_SECONDS} of
 * each latency round are not counted. Broker: {@code BENCH_AMQP_URI}, else {@code WIZMESH_TEST_AMQP_URI}, else an
 * embedded Qpid; PostgreSQL: {@code WIZMESH_TEST_POSTGRES_URL}, else an embedded one.
 */
public final class MessagingBenchmark {
    private static final String RELAY_KEY = "bench.relay";
    private static final String RELAY_SINK = "bench.relay-sink";
    private static final String OUTBOX_KEY = "bench.e2e-outbox";
    private static final String DIRECT_KEY = "bench.e2e-direct";
    private static final int WINDOW = 100;

    private final int relayEvents = intSetting("BENCH_RELAY_EVENTS", 20_000);
    private final int rounds = intSetting("BENCH_ROUNDS", 3);
    private final int rate = intSetting("BENCH_RATE", 100);
    private final int seconds = intSetting("BENCH_SECONDS", 20);
    private final int warmupSeconds = intSetting("BENCH_WARMUP_SECONDS", 5);

    private final Database database;
    private final AmqpFactory amqp;
    private final AmqpConnection connection;
    private final UUID tenant = UUID.randomUUID();
    private final Outbox outbox = new Outbox(Clock.systemUTC());
    private final Map<UUID, Long> committed = new ConcurrentHashMap<>();
    private final Map<UUID, Long> received = new ConcurrentHashMap<>();

    private MessagingBenchmark(Database database, AmqpFactory amqp, AmqpConnection connection) {
        this.database = database;
        this.amqp = amqp;
        this.connection = connection;
    }

    public static void main(String[] args) throws Exception {
        PostgresServer postgres = PostgresServer.shared();
        String brokerUri = System.getenv().getOrDefault("BENCH_AMQP_URI", System.getenv("WIZMESH_TEST_AMQP_URI"));
        URI broker = brokerUri == null || brokerUri.isBlank() ? AmqpExtension.sharedBroker().uri() : URI.create(brokerUri);
        String name = "bench_messaging_" + System.currentTimeMillis();
        PostgresDatabase db = postgres.createDatabase(name);
        ManagedDataSource pool = null;
        AmqpConnection connection = null;
        int exit = 0;
        try {
            pool = open(db);
            AmqpFactory amqp = new AmqpFactory();
            amqp.setUri(broker.toString());
            connection = amqp.build(MessagingMetrics.unregistered(), "bench");
            connection.start();
            awaitConnected(connection);
            System.err.printf("broker %s://%s:%d, PostgreSQL %s:%d%n", broker.getScheme(), broker.getHost(), broker.getPort(),
                    postgres.host(), postgres.port());
            new MessagingBenchmark(new Database(pool), amqp, connection).run();
        } catch (Exception e) {
            e.printStackTrace();
            exit = 1;
        } finally {
            if (connection != null) {
                connection.stop();
            }
            if (pool != null) {
                pool.stop();
            }
            postgres.dropDatabase(name);
        }
        System.exit(exit); // an embedded broker's threads are not daemons
    }

    private void run() throws Exception {
        try (Channel channel = connection.openChannel()) {
            EventExchange.declare(channel);
            channel.queueDeclare(RELAY_SINK, true, false, false, null);
            channel.queueBind(RELAY_SINK, EventExchange.NAME, RELAY_KEY);
            channel.queuePurge(RELAY_SINK);
        }

        List<Double> relayRates = new ArrayList<>();
        List<Double> rawRates = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            relayRates.add(relayThroughput());
            rawRates.add(rawConfirmedThroughput());
            System.err.printf("throughput round %d: relay %.0f/s, raw publish with confirms %.0f/s%n", round,
                    relayRates.get(round - 1), rawRates.get(round - 1));
        }

        QueueConsumer outboxConsumer = consumer(OUTBOX_KEY);
        QueueConsumer directConsumer = consumer(DIRECT_KEY);
        OutboxRelay relay = new OutboxRelay(database, connection, amqp.relaySettings(), Clock.systemUTC(), "bench-relay");
        outboxConsumer.start();
        directConsumer.start();
        relay.start();
        List<Latencies> outboxLatencies = new ArrayList<>();
        List<Latencies> directLatencies = new ArrayList<>();
        try (ConfirmedPublisher publisher = ConfirmedPublisher.open(connection)) {
            for (int round = 1; round <= rounds; round++) {
                outboxLatencies.add(latencyRound(this::commitThroughOutbox));
                directLatencies.add(latencyRound(() -> commitThenPublish(publisher)));
                System.err.printf("latency round %d: outbox %s; publish-after-commit %s%n", round,
                        outboxLatencies.get(round - 1), directLatencies.get(round - 1));
            }
        } finally {
            relay.stop();
            outboxConsumer.stop();
            directConsumer.stop();
        }
        report(relayRates, rawRates, outboxLatencies, directLatencies);
    }

    // ---- throughput --------------------------------------------------------------------------------------------

    /** Fills the outbox, then times a relay from its start until every row is confirmed and marked sent. */
    private double relayThroughput() throws Exception {
        for (int from = 0; from < relayEvents; from += 500) {
            int start = from;
            database.tenants().inTenant(tenant, h -> {
                for (int i = start; i < Math.min(start + 500, relayEvents); i++) {
                    outbox.add(h, tenant, UUID.randomUUID().toString(), RELAY_KEY, Map.of("n", i, "amount", 1250));
                }
                return null;
            });
        }
        OutboxRelay relay = new OutboxRelay(database, connection, amqp.relaySettings(), Clock.systemUTC(), "bench-relay-throughput");
        long began = System.nanoTime();
        relay.start();
        while (relay.sent() < relayEvents) {
            if (System.nanoTime() - began > TimeUnit.MINUTES.toNanos(5)) {
                throw new IllegalStateException("the relay sent " + relay.sent() + " of " + relayEvents + " in 5 minutes");
            }
            Thread.sleep(5);
        }
        double perSecond = relayEvents / ((System.nanoTime() - began) / 1e9);
        relay.stop();
        if (relay.failed() > 0) {
            throw new IllegalStateException(relay.failed() + " relay publishes failed");
        }
        drainSink(relayEvents);
        return perSecond;
    }

    /** The same envelopes and properties, published by a plain confirm-mode loop, {@value #WINDOW} per window. */
    private double rawConfirmedThroughput() throws Exception {
        List<byte[]> bodies = new ArrayList<>(relayEvents);
        for (int i = 0; i < relayEvents; i++) {
            bodies.add(EventJson.toBytes(new Event(UUID.randomUUID(), RELAY_KEY, Clock.systemUTC().instant(), tenant, null,
                    EventJson.toData(Map.of("n", i, "amount", 1250)))));
        }
        double perSecond;
        try (Channel channel = connection.openChannel()) {
            channel.confirmSelect();
            long began = System.nanoTime();
            for (int i = 0; i < relayEvents; i++) {
                channel.basicPublish(EventExchange.NAME, RELAY_KEY, properties(UUID.randomUUID(), RELAY_KEY), bodies.get(i));
                if ((i + 1) % WINDOW == 0 || i + 1 == relayEvents) {
                    channel.waitForConfirmsOrDie(10_000);
                }
            }
            perSecond = relayEvents / ((System.nanoTime() - began) / 1e9);
        }
        drainSink(relayEvents);
        return perSecond;
    }

    /** Checks the sink got every message (they were routed and stored, not only confirmed), then empties it. */
    private void drainSink(int expected) throws Exception {
        try (Channel channel = connection.openChannel()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long count;
            while ((count = channel.queueDeclarePassive(RELAY_SINK).getMessageCount()) < expected && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            if (count != expected) {
                throw new IllegalStateException(RELAY_SINK + " holds " + count + " messages, expected " + expected);
            }
            channel.queuePurge(RELAY_SINK);
        }
    }

    // ---- latency -----------------------------------------------------------------------------------------------

    private QueueConsumer consumer(String key) {
        return new QueueConsumer(connection, database, key, List.of(key), (h, event) -> {
            received.putIfAbsent(event.id(), System.nanoTime());
            h.createUpdate("INSERT INTO bench_effects (tenant_id, event_id) VALUES (:t, :e)")
                    .bind("t", event.tenantId()).bind("e", event.id()).execute();
        }, amqp.consumerSettings(), Clock.systemUTC());
    }

    /** One event through the outbox: the business row and the event in one transaction. */
    private UUID commitThroughOutbox() {
        UUID change = UUID.randomUUID();
        Event event = database.tenants().inTenant(tenant, h -> {
            insertChange(h, change);
            return outbox.add(h, tenant, change.toString(), OUTBOX_KEY, Map.of("changeId", change, "amount", 1250));
        });
        committed.put(event.id(), System.nanoTime());
        return event.id();
    }

    /** The reference: the business row committed, then the event published with a confirm, straight away. */
    private UUID commitThenPublish(ConfirmedPublisher publisher) {
        UUID change = UUID.randomUUID();
        database.tenants().inTenant(tenant, h -> {
            insertChange(h, change);
            return null;
        });
        Event event = new Event(UUID.randomUUID(), DIRECT_KEY, Clock.systemUTC().instant(), tenant, null,
                EventJson.toData(Map.of("changeId", change, "amount", 1250)));
        committed.put(event.id(), System.nanoTime());
        try {
            publisher.publishAndWait(EventExchange.NAME, DIRECT_KEY, properties(event.id(), DIRECT_KEY), EventJson.toBytes(event),
                    Duration.ofSeconds(10));
        } catch (Exception e) {
            throw new IllegalStateException("publish after commit failed", e);
        }
        return event.id();
    }

    private static void insertChange(org.jdbi.v3.core.Handle h, UUID change) {
        h.createUpdate("INSERT INTO bench_changes (tenant_id, id, amount) VALUES (app_current_tenant(), :id, 1250)")
                .bind("id", change).execute();
    }

    /** Events at {@link #rate}/s for {@link #seconds}, then waits for all to be consumed; the warm-up not counted. */
    private Latencies latencyRound(Supplier<UUID> produce) throws Exception {
        ExecutorService producers = Executors.newFixedThreadPool(8);
        List<Future<UUID>> sent = new ArrayList<>();
        long began = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        int total = rate * seconds;
        int warmup = rate * warmupSeconds;
        for (int i = 0; i < total; i++) {
            long due = began + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            sent.add(producers.submit(produce::get));
        }
        List<UUID> ids = new ArrayList<>();
        for (Future<UUID> f : sent) {
            ids.add(f.get());
        }
        producers.shutdown();
        double achieved = total / ((System.nanoTime() - began) / 1e9);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!ids.stream().allMatch(received::containsKey)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(ids.stream().filter(id -> !received.containsKey(id)).count() + " events never consumed");
            }
            Thread.sleep(20);
        }
        double[] millis = ids.subList(warmup, ids.size()).stream()
                .mapToDouble(id -> (received.get(id) - committed.get(id)) / 1e6).sorted().toArray();
        return new Latencies(achieved, millis.length, at(millis, 0.50), at(millis, 0.99), millis[millis.length - 1]);
    }

    record Latencies(double rate, int samples, double p50, double p99, double max) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.0f/s, %d samples, p50 %.1f ms, p99 %.1f ms, max %.1f ms", rate, samples, p50, p99, max);
        }
    }

    // ---- report ------------------------------------------------------------------------------------------------

    private void report(List<Double> relayRates, List<Double> rawRates, List<Latencies> outbox, List<Latencies> direct) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%n### Messaging (%d events per throughput round, %d rounds; %d events/s for %d s per latency "
                + "round, first %d s not counted)%n%n", relayEvents, rounds, rate, seconds, warmupSeconds));
        out.append("| figure | per round | median | ratio (median of per-round ratios) |\n|---|---|---|---|\n");
        double[] ratio = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            ratio[i] = relayRates.get(i) / rawRates.get(i);
        }
        out.append(row("relay, outbox → confirmed (events/s)", relayRates, "%.0f", String.format(Locale.ROOT, "**%.2f×** raw", median(ratio))));
        out.append(row("raw amqp-client publish, confirms per 100 (events/s)", rawRates, "%.0f", "1.00×"));
        for (String which : List.of("p50", "p99")) {
            List<Double> o = outbox.stream().map(l -> which.equals("p50") ? l.p50() : l.p99()).toList();
            List<Double> d = direct.stream().map(l -> which.equals("p50") ? l.p50() : l.p99()).toList();
            double[] r = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                r[i] = o.get(i) / d.get(i);
            }
            out.append(row("end to end " + which + ", outbox (ms)", o, "%.1f", String.format(Locale.ROOT, "**%.1f×** publish-after-commit", median(r))));
            out.append(row("end to end " + which + ", publish-after-commit (ms)", d, "%.1f", "1.0×"));
        }
        out.append(row("max, outbox (ms)", outbox.stream().map(Latencies::max).toList(), "%.1f", ""));
        out.append(row("max, publish-after-commit (ms)", direct.stream().map(Latencies::max).toList(), "%.1f", ""));
        out.append(row("offered rate achieved, outbox (events/s)", outbox.stream().map(Latencies::rate).toList(), "%.0f", ""));
        out.append(row("offered rate achieved, publish-after-commit (events/s)", direct.stream().map(Latencies::rate).toList(), "%.0f", ""));
        System.out.println(out);
    }

    private static String row(String name, List<Double> values, String format, String ratio) {
        StringBuilder cells = new StringBuilder();
        for (double v : values) {
            cells.append(cells.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, format, v));
        }
        double median = median(values.stream().mapToDouble(Double::doubleValue).toArray());
        return "| " + name + " | " + cells + " | " + String.format(Locale.ROOT, format, median) + " | " + ratio + " |\n";
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double at(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    // ---- set-up ------------------------------------------------------------------------------------------------

    /** What the relay publishes: the envelope's id as message-id, persistent, JSON (as OutboxRelay's properties). */
    private static AMQP.BasicProperties properties(UUID id, String type) {
        return new AMQP.BasicProperties.Builder().messageId(id.toString()).type(type).contentType("application/json")
                .contentEncoding("utf-8").deliveryMode(2).timestamp(new Date()).headers(Map.of()).build();
    }

    /** Provisioned and migrated like a service's database (its table, the outbox and inbox modules), an app-role pool. */
    private static ManagedDataSource open(PostgresDatabase db) throws Exception {
        DatabaseFactory factory = new DatabaseFactory();
        factory.setUrl(db.urlWithoutCredentials());
        factory.getOwner().setUser(db.username());
        factory.getOwner().setPassword(db.password());
        factory.setUser("wizmesh_app");
        factory.setPassword("wizmesh_app");
        factory.setProvision(true);
        factory.setMigrations(List.of("classpath:db/messaging-bench"));
        factory.addModuleMigrations("outbox", "classpath:db/modules/outbox");
        factory.addModuleMigrations("inbox", "classpath:db/modules/inbox");
        factory.provisioner().orElseThrow().provision();
        factory.migrations().migrate();
        DataSourceFactory pool = new DataSourceFactory();
        pool.setDriverClass("org.postgresql.Driver");
        pool.setUrl(db.urlWithoutCredentials());
        pool.setUser("wizmesh_app");
        pool.setPassword("wizmesh_app");
        pool.setMaxSize(16);
        pool.setMinSize(1);
        pool.setInitialSize(1);
        pool.setMaxWaitForConnection(io.dropwizard.util.Duration.seconds(30));
        ManagedDataSource dataSource = pool.build(new com.codahale.metrics.MetricRegistry(), "messaging-bench");
        dataSource.start();
        return dataSource;
    }

    private static void awaitConnected(AmqpConnection connection) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!connection.isConnected()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no connection to the broker: " + connection.lastError());
            }
            Thread.sleep(50);
        }
    }

    private static int intSetting(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }
}
