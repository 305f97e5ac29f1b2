package dev.wizmesh.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Watch streams as the servlet writes them (WatchServlet, WatchStream): the wire format, every
 * one of many watchers getting each change, readers that stopped reading not holding up the
 * others, and the refusals in the one error shape.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class WatchStreamsIT {
    static final DropwizardAppExtension<RegistryConfiguration> APP =
            new DropwizardAppExtension<>(RegistryApplication.class, ResourceHelpers.resourceFilePath("registry-test.yml"));
    private static final String TOKEN = "Bearer test-token";
    /** How long a delivery may take here before it counts as lost: far above any real delay, far below Jetty's idle timeout. */
    private static final Duration DELIVERY = Duration.ofSeconds(15);

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + APP.getLocalPort() + path);
    }

    private HttpResponse<String> register(String service, String id, String metadata) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/v1/services/" + service + "/instances"))
                .header("Authorization", TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + id + "\",\"host\":\"127.0.0.1\",\"port\":9000"
                        + (metadata == null ? "" : ",\"leaseTtlSeconds\":120,\"metadata\":" + metadata) + "}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return r;
    }

    @Test
    void eventsAreWrittenAsServerSentEvents() throws Exception {
        HttpResponse<java.io.InputStream> head = http.send(HttpRequest.newBuilder(uri("/v1/watch?service=format"))
                .header("X-Request-ID", "req-watch-1").build(), HttpResponse.BodyHandlers.ofInputStream());
        head.body().close();
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        assertThat(head.headers().firstValue("X-Request-ID")).hasValue("req-watch-1"); // the platform's filters ran

        try (RawWatcher w = RawWatcher.reading(APP.getLocalPort(), "/v1/watch?service=format")) {
            assertThat(w.awaitLine("event: SNAPSHOT", DELIVERY)).isNotNull();
            assertThat(w.awaitLine("id: ", DELIVERY)).matches("id: [0-9a-z]+-[0-9]+");
            assertThat(w.awaitLine("data: ", DELIVERY)).startsWith("data: {").contains("\"instances\":");
            register("format", "f1", null);
            assertThat(w.awaitLine("event: ", DELIVERY)).isEqualTo("event: REGISTERED");
            String id = w.awaitLine("id: ", DELIVERY);
            String data = w.awaitLine("data: ", DELIVERY);
            JsonNode event = json.readTree(data.substring("data: ".length()));
            assertThat(event.at("/instance/id").asText()).isEqualTo("f1");
            assertThat(id).endsWith("-" + event.get("index").asText()); // <epoch>-<index>
        }
    }

    @Test
    void everyWatcherGetsEveryChange() throws Exception {
        int watchers = 200;
        List<RawWatcher> streams = new ArrayList<>();
        try {
            for (int i = 0; i < watchers; i++) {
                streams.add(RawWatcher.reading(APP.getLocalPort(), "/v1/watch?service=many"));
            }
            for (RawWatcher w : streams) {
                assertThat(w.awaitSnapshot(DELIVERY)).isTrue();
            }
            register("many", "m1", null);
            register("many", "m2", null);
            for (RawWatcher w : streams) {
                String first = w.awaitLine("data: ", DELIVERY);
                String second = w.awaitLine("data: ", DELIVERY);
                assertThat(first).contains("\"id\":\"m1\"");
                assertThat(second).contains("\"id\":\"m2\""); // in index order
            }
        } finally {
            for (RawWatcher w : streams) {
                w.close();
            }
        }
    }

    /**
     * Clients that stopped reading, more of them than the registry has sender threads, each with a
     * snapshot (of fat instances) far larger than every socket buffer on the way: their writes
     * stay pending. A blocking writer would be stuck on them; the others must still get each
     * change, and the stalled ones stay open (or are dropped) without anyone waiting on them.
     */
    @Test
    void readersThatStoppedReadingDoNotHoldUpTheOthers() throws Exception {
        StringBuilder fat = new StringBuilder("{");
        for (int k = 0; k < 64; k++) {
            fat.append(k == 0 ? "" : ",").append("\"k").append(k).append("\":\"").append("x".repeat(250)).append('"');
        }
        String metadata = fat.append('}').toString();
        ExecutorService registering = Executors.newFixedThreadPool(8);
        List<Future<HttpResponse<String>>> done = new ArrayList<>();
        for (int i = 0; i < 600; i++) { // about 10 MB of snapshot
            String id = "fat-" + i;
            done.add(registering.submit(() -> register("fat", id, metadata)));
        }
        for (Future<HttpResponse<String>> f : done) {
            f.get();
        }
        registering.shutdown();

        int stalledCount = 2 * Math.max(2, Runtime.getRuntime().availableProcessors()) + 2;
        List<RawWatcher> stalled = new ArrayList<>();
        List<RawWatcher> readers = new ArrayList<>();
        try {
            for (int i = 0; i < stalledCount; i++) {
                stalled.add(RawWatcher.stalled(APP.getLocalPort(), "/v1/watch?service=fat&service=thin"));
            }
            for (int i = 0; i < 20; i++) {
                readers.add(RawWatcher.reading(APP.getLocalPort(), "/v1/watch?service=thin"));
            }
            for (RawWatcher r : readers) {
                assertThat(r.awaitSnapshot(DELIVERY)).isTrue();
            }
            for (int change = 0; change < 5; change++) {
                register("thin", "t" + change, null);
                for (RawWatcher r : readers) {
                    assertThat(r.awaitLine("\"id\":\"t" + change + "\"", DELIVERY)).as("change " + change).isNotNull();
                }
            }
        } finally {
            for (RawWatcher w : stalled) {
                w.close();
            }
            for (RawWatcher w : readers) {
                w.close();
            }
        }
    }

    @Test
    void refusalsUseTheErrorShape() throws Exception {
        HttpResponse<String> badSession = http.send(HttpRequest.newBuilder(uri("/v1/watch?service=x&session=nonsense"))
                .header("Authorization", TOKEN).header("X-Request-ID", "req-400").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(badSession.statusCode()).isEqualTo(400);
        JsonNode error = json.readTree(badSession.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(error.get("requestId").asText()).isEqualTo("req-400");
        assertThat(error.get("message").asText()).contains("session");

        HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(uri("/v1/watch?session=x/y")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(json.readTree(noToken.body()).at("/error/code").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(noToken.headers().firstValue("WWW-Authenticate")).isPresent();

        HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri("/v1/watch")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(json.readTree(post.body()).at("/error/code").asText()).isEqualTo("METHOD_NOT_ALLOWED");
    }
}
