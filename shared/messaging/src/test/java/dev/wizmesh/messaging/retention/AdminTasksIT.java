package dev.wizmesh.messaging.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wizmesh.messaging.MessagingDatabase;
import dev.wizmesh.messaging.connection.AmqpFactory;
import dev.wizmesh.messaging.connection.MessagingMetrics;
import dev.wizmesh.messaging.deadletter.DeadLetterTask;
import dev.wizmesh.messaging.deadletter.DeadLetters;
import dev.wizmesh.messaging.event.Event;
import dev.wizmesh.messaging.outbox.Outbox;
import dev.wizmesh.platform.tasks.TaskErrorFilter;
import dev.wizmesh.persistence.Database;
import dev.wizmesh.testing.PostgresExtension;
import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.testing.DropwizardTestSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The messaging admin tasks over HTTP, through a real Dropwizard admin port (its TaskServlet) with
 * {@link TaskErrorFilter} in front: {@code outbox-cleanup} deletes what is old and published and keeps the rest,
 * across tenants, with row-level security on; bad input to it and to the dead-letter tasks is a 400 in the
 * platform's error shape, not TaskServlet's 500.
 */
class AdminTasksIT {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String QUEUE = "tasks-it.orders";

    static MessagingDatabase db;
    static DropwizardTestSupport<Configuration> app;
    final HttpClient http = HttpClient.newHttpClient();
    final Outbox outbox = new Outbox(Clock.systemUTC());

    /** Just the admin tasks, as order-svc, product-svc and user-svc register them. */
    public static class TasksApp extends Application<Configuration> {
        static Database database;

        @Override
        public void run(Configuration configuration, Environment environment) {
            TaskErrorFilter.install(environment);
            environment.admin().addTask(new OutboxCleanupTask(new MessageRetention(database),
                    EnumSet.allOf(OutboxCleanupTask.Table.class), Duration.ofDays(7), Clock.systemUTC()));
            // a broker that is never started: bad input is refused before the broker is needed
            AmqpFactory amqp = new AmqpFactory();
            amqp.setUri("amqp://guest:guest@127.0.0.1:1/%2F");
            DeadLetters deadLetters = new DeadLetters(amqp.build(MessagingMetrics.unregistered(), "tasks-it"), Duration.ofSeconds(1));
            environment.admin().addTask(DeadLetterTask.peek(deadLetters, Set.of(QUEUE)));
            environment.admin().addTask(DeadLetterTask.replay(deadLetters, Set.of(QUEUE)));
        }
    }

    @BeforeAll
    static void start() throws Exception {
        db = MessagingDatabase.open(POSTGRES.database(), 2);
        TasksApp.database = db.database();
        Path config = Files.createTempFile("tasks-it", ".yml");
        Files.writeString(config, """
                server:
                  applicationConnectors: [{type: http, port: 0, bindHost: 127.0.0.1}]
                  adminConnectors: [{type: http, port: 0, bindHost: 127.0.0.1}]
                logging:
                  level: WARN
                """);
        app = new DropwizardTestSupport<>(TasksApp.class, config.toString());
        app.before();
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.after();
        }
        db.close();
    }

    @BeforeEach
    void empty() throws Exception {
        db.truncate("outbox", "processed_messages");
    }

    @Test
    void oldPublishedRowsAndOldInboxRowsGoAcrossTenantsTheRestStays() throws Exception {
        UUID acme = UUID.randomUUID();
        UUID globex = UUID.randomUUID();
        UUID oldSentAcme = event(acme, "o-1");
        UUID oldSentGlobex = event(globex, "o-2");
        UUID recentSent = event(acme, "o-3");
        UUID oldUnsent = event(acme, "o-4");
        UUID recentUnsent = event(globex, "o-5");
        age("UPDATE outbox SET created_at = now() - interval '10 days', sent_at = now() - interval '9 days' WHERE id IN ('"
                + oldSentAcme + "', '" + oldSentGlobex + "')");
        age("UPDATE outbox SET sent_at = now() - interval '1 hour' WHERE id = '" + recentSent + "'");
        age("UPDATE outbox SET created_at = now() - interval '30 days', next_attempt_at = now() + interval '1 hour'"
                + " WHERE id = '" + oldUnsent + "'"); // never confirmed: an event still to publish, however old
        UUID oldAcmeMessage = processed(acme, "10 days");
        UUID oldGlobexMessage = processed(globex, "8 days");
        UUID recentMessage = processed(acme, "2 days");

        // the app role alone sees none of these rows: the sweep turns on its policy, it does not bypass RLS
        assertThat(db.database().unscoped().<Integer, RuntimeException>inTransaction(h -> h.execute("DELETE FROM processed_messages")).intValue()).isZero();
        assertThat(db.database().unscoped().<Integer, RuntimeException>inTransaction(h -> h.execute("DELETE FROM outbox")).intValue()).isZero();

        HttpResponse<String> r = post("/tasks/outbox-cleanup?olderThan=P7D");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode counts = JSON.readTree(r.body());
        assertThat(counts.get("outboxDeleted").asLong()).isEqualTo(2);
        assertThat(counts.get("processedDeleted").asLong()).isEqualTo(2);
        assertThat(counts.get("olderThan").asText()).isEqualTo("PT168H");

        assertThat(ids("SELECT id FROM outbox")).containsExactlyInAnyOrder(recentSent.toString(), oldUnsent.toString(),
                recentUnsent.toString());
        assertThat(ids("SELECT message_id FROM processed_messages")).containsExactly(recentMessage.toString());
        assertThat(ids("SELECT message_id FROM processed_messages")).doesNotContain(oldAcmeMessage.toString(),
                oldGlobexMessage.toString());

        // Dropwizard's duration form; then the default (7 days): nothing more is old enough
        HttpResponse<String> days = post("/tasks/outbox-cleanup?olderThan=1d");
        assertThat(JSON.readTree(days.body()).get("processedDeleted").asLong()).isEqualTo(1);
        assertThat(JSON.readTree(days.body()).get("outboxDeleted").asLong()).isZero();
        HttpResponse<String> again = post("/tasks/outbox-cleanup");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).get("olderThan").asText()).isEqualTo("PT168H");
        assertThat(JSON.readTree(again.body()).get("outboxDeleted").asLong()).isZero();
    }

    @Test
    void theSweepDeletesInBatchesUntilNothingOldIsLeft() throws Exception {
        UUID tenant = UUID.randomUUID();
        int rows = MessageRetention.BATCH * 2 + 5;
        db.execute("INSERT INTO processed_messages (tenant_id, consumer, message_id, processed_at) "
                + "SELECT '" + tenant + "', 'tasks-it', gen_random_uuid(), now() - interval '30 days' FROM generate_series(1, " + rows + ")");
        HttpResponse<String> r = post("/tasks/outbox-cleanup?olderThan=P7D");
        assertThat(JSON.readTree(r.body()).get("processedDeleted").asLong()).isEqualTo(rows);
        assertThat(db.count("SELECT count(*) FROM processed_messages")).isZero();
    }

    @Test
    void badParametersAre400sThatDeleteNothing() throws Exception {
        UUID tenant = UUID.randomUUID();
        UUID sent = event(tenant, "o-1");
        age("UPDATE outbox SET sent_at = now() - interval '30 days' WHERE id = '" + sent + "'");
        processed(tenant, "30 days");

        for (String query : new String[] {"olderThan=soon", "olderThan=PT5M", "olderThan=P20000D", "olderThan=P7D&olderThan=P1D",
                "olderThan=-P7D", "older=P7D"}) {
            HttpResponse<String> r = post("/tasks/outbox-cleanup?" + query);
            assertThat(r.statusCode()).as(query + ": " + r.body()).isEqualTo(400);
            JsonNode error = JSON.readTree(r.body()).get("error");
            assertThat(error.get("code").asText()).isEqualTo("BAD_REQUEST");
            assertThat(r.body()).doesNotContain("\tat ", "Exception");
        }
        assertThat(JSON.readTree(post("/tasks/outbox-cleanup?olderThan=soon").body()).get("error").get("message").asText())
                .contains("olderThan must be a duration such as P7D");
        assertThat(JSON.readTree(post("/tasks/outbox-cleanup?olderThan=PT5M").body()).get("error").get("message").asText())
                .contains("olderThan must be from PT1H to P3650D");
        assertThat(db.count("SELECT count(*) FROM outbox")).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM processed_messages")).isEqualTo(1);
    }

    @Test
    void badInputToTheDeadLetterTasksIsA400AndABrokerThatIsDownStaysA500() throws Exception {
        HttpResponse<String> otherQueue = post("/tasks/dlq-replay?queue=someone-elses.queue");
        assertThat(otherQueue.statusCode()).as(otherQueue.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(otherQueue.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(error.get("message").asText()).contains("queue must be one of this app's consumer queues [" + QUEUE + "]");

        HttpResponse<String> badMax = post("/tasks/dlq-peek?queue=" + QUEUE + "&max=lots");
        assertThat(badMax.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badMax.body()).get("error").get("message").asText()).contains("max must be a number from 1 to 1000");
        assertThat(post("/tasks/dlq-peek").statusCode()).isEqualTo(400); // no queue at all

        // valid input, broker unreachable: a failure of the server's, not of the request
        HttpResponse<String> down = post("/tasks/dlq-peek?queue=" + QUEUE + "&max=1");
        assertThat(down.statusCode()).isEqualTo(500);
        assertThat(down.body()).contains("the broker is not reachable");
    }

    private HttpResponse<String> post(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.getAdminPort() + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private UUID event(UUID tenant, String aggregate) {
        Event event = db.database().tenants().inTenant(tenant,
                h -> outbox.add(h, tenant, aggregate, "order.created", Map.of("orderId", aggregate)));
        return event.id();
    }

    private UUID processed(UUID tenant, String age) throws Exception {
        UUID id = UUID.randomUUID();
        db.execute("INSERT INTO processed_messages (tenant_id, consumer, message_id, processed_at) VALUES ('" + tenant
                + "', 'tasks-it', '" + id + "', now() - interval '" + age + "')");
        return id;
    }

    private void age(String sql) throws Exception {
        db.execute(sql);
    }

    private java.util.List<String> ids(String sql) throws Exception {
        java.util.List<String> ids = new java.util.ArrayList<>();
        try (java.sql.Connection c = POSTGRES.database().connection(); java.sql.Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }
}
