package dev.wizmesh.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The registry as a real server: leases, expiry, watch, blocking queries, health checks,
 * sessions, self-preservation, auth and validation. Timings are scaled down in
 * registry-test.yml (TTL 2 s, heartbeat 500 ms, sweep 100 ms, session grace 300 ms).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class RegistryServerIT {
    static final DropwizardAppExtension<RegistryConfiguration> APP =
            new DropwizardAppExtension<>(RegistryApplication.class, ResourceHelpers.resourceFilePath("registry-test.yml"));
    private static final String TOKEN = "Bearer test-token";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + APP.getLocalPort() + path);
    }

    private HttpResponse<String> call(String method, String path, String body, boolean withToken) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (withToken) {
            b.header("Authorization", TOKEN);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String register(String service, String id, int port, String extra) throws Exception {
        HttpResponse<String> r = call("POST", "/v1/services/" + service + "/instances",
                "{\"id\":\"" + id + "\",\"host\":\"127.0.0.1\",\"port\":" + port + extra + "}", true);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return id;
    }

    private int heartbeat(String service, String id) throws Exception {
        return call("PUT", "/v1/services/" + service + "/instances/" + id + "/heartbeat", null, true).statusCode();
    }

    private JsonNode instances(String service, boolean all) throws Exception {
        return json.readTree(call("GET", "/v1/services/" + service + (all ? "?all=true" : ""), null, false).body()).get("instances");
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Heartbeats the given instances every 300 ms until closed. */
    private AutoCloseable heartbeating(String service, List<String> ids) {
        ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor();
        beat.scheduleAtFixedRate(() -> ids.forEach(id -> {
            try {
                heartbeat(service, id);
            } catch (Exception ignored) {
                // next beat
            }
        }), 0, 300, TimeUnit.MILLISECONDS);
        return beat::shutdownNow;
    }

    @Test
    void watchSeesARegistration() throws Exception {
        String service = unique("watched");
        try (SseTestClient watch = new SseTestClient(uri("/v1/watch?service=" + service), null)) {
            assertThat(watch.next(Duration.ofSeconds(5)).name()).isEqualTo("SNAPSHOT");
            register(service, "a1", 9001, "");
            SseTestClient.Event event = watch.next(Duration.ofSeconds(5));
            assertThat(event.name()).isEqualTo("REGISTERED");
            JsonNode data = json.readTree(event.data());
            assertThat(data.at("/instance/id").asText()).isEqualTo("a1");
            assertThat(event.id()).endsWith("-" + data.get("index").asText()); // <epoch>-<index>
        }
    }

    @Test
    void heartbeatsKeepALeaseAndSilenceExpiresIt() throws Exception {
        String service = unique("leased");
        register(service, "h1", 9002, "");
        try (AutoCloseable ignored = heartbeating(service, List.of("h1"))) {
            Thread.sleep(3_000); // 1.5 TTLs
            assertThat(instances(service, false)).hasSize(1);
        }
        try (SseTestClient watch = new SseTestClient(uri("/v1/watch?service=" + service), null)) {
            watch.next("SNAPSHOT", Duration.ofSeconds(5));
            long stopped = System.nanoTime();
            SseTestClient.Event expired = watch.next("EXPIRED", Duration.ofSeconds(5));
            long tookMillis = (System.nanoTime() - stopped) / 1_000_000;
            assertThat(json.readTree(expired.data()).at("/instance/id").asText()).isEqualTo("h1");
            // TTL 2 s after the last beat (up to 300 ms before we started watching), plus one sweep
            assertThat(tookMillis).isBetween(1_500L, 2_600L);
        }
        assertThat(instances(service, true)).isEmpty();
        assertThat(heartbeat(service, "h1")).isEqualTo(404);
    }

    @Test
    void blockingQueryReturnsOnChangeAndOnTimeout() throws Exception {
        String service = unique("blocking");
        register(service, "b1", 9003, "");
        HttpResponse<String> first = call("GET", "/v1/services/" + service, null, false);
        long index = Long.parseLong(first.headers().firstValue("X-Registry-Index").orElseThrow());

        long start = System.nanoTime();
        HttpResponse<String> timedOut = call("GET", "/v1/services/" + service + "?index=" + index + "&wait=700ms", null, false);
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertThat(waited).isBetween(600L, 3_000L);
        assertThat(timedOut.headers().firstValue("X-Registry-Index")).hasValue(Long.toString(index));

        CompletableFuture<HttpResponse<String>> changed = http.sendAsync(
                HttpRequest.newBuilder(uri("/v1/services/" + service + "?index=" + index + "&wait=20s")).build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        assertThat(changed).isNotDone();
        register(service, "b2", 9004, "");
        HttpResponse<String> answer = changed.get(5, TimeUnit.SECONDS);
        assertThat(Long.parseLong(answer.headers().firstValue("X-Registry-Index").orElseThrow())).isGreaterThan(index);
        assertThat(json.readTree(answer.body()).get("instances")).hasSize(2);
    }

    @Test
    void failingHealthCheckMarksDownThenRemoves() throws Exception {
        AtomicInteger status = new AtomicInteger(200);
        HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        target.start();
        try {
            String service = unique("checked");
            String check = ",\"healthCheck\":{\"url\":\"http://127.0.0.1:" + target.getAddress().getPort()
                    + "/health\",\"intervalSeconds\":1,\"timeoutSeconds\":1,\"deregisterAfterSeconds\":3}";
            register(service, "c1", 9005, check);
            try (AutoCloseable ignored = heartbeating(service, List.of("c1"));
                 SseTestClient watch = new SseTestClient(uri("/v1/watch?service=" + service), null)) {
                watch.next("SNAPSHOT", Duration.ofSeconds(5));
                status.set(500);
                SseTestClient.Event down = watch.next("UPDATED", Duration.ofSeconds(5));
                assertThat(json.readTree(down.data()).at("/instance/status").asText()).isEqualTo("DOWN");
                assertThat(instances(service, false)).isEmpty();
                assertThat(instances(service, true)).hasSize(1);
                SseTestClient.Event removed = watch.next("DEREGISTERED", Duration.ofSeconds(8));
                assertThat(json.readTree(removed.data()).get("reason").asText()).contains("health check");
            }
        } finally {
            target.stop(0);
        }
    }

    @Test
    void killedSessionMarksItsInstanceDownAfterTheGrace() throws Exception {
        String service = unique("session");
        register(service, "s1", 9006, "");
        try (AutoCloseable ignored = heartbeating(service, List.of("s1"));
             SseTestClient watch = new SseTestClient(uri("/v1/watch?service=" + service), null)) {
            watch.next("SNAPSHOT", Duration.ofSeconds(5));
            Socket session = new Socket("127.0.0.1", APP.getLocalPort());
            OutputStream out = session.getOutputStream();
            out.write(("GET /v1/watch?service=" + service + "&session=" + service + "/s1 HTTP/1.1\r\nHost: x\r\nAuthorization: " + TOKEN + "\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            session.getInputStream().read(new byte[512]); // the stream is open
            Thread.sleep(200);
            long closed = System.nanoTime();
            session.close(); // as the kernel does for a SIGKILLed process
            SseTestClient.Event down = watch.next("UPDATED", Duration.ofSeconds(5));
            long tookMillis = (System.nanoTime() - closed) / 1_000_000;
            assertThat(json.readTree(down.data()).at("/instance/status").asText()).isEqualTo("DOWN");
            assertThat(json.readTree(down.data()).get("reason").asText()).isEqualTo("session lost");
            assertThat(tookMillis).isLessThan(1_500L);
        }
    }

    @Test
    void resumesFromLastEventIdWithoutLoss() throws Exception {
        String service = unique("resume");
        String lastId;
        try (SseTestClient watch = new SseTestClient(uri("/v1/watch?service=" + service), null)) {
            lastId = watch.next("SNAPSHOT", Duration.ofSeconds(5)).id();
        }
        register(service, "r1", 9007, "");
        register(service, "r2", 9008, "");
        call("DELETE", "/v1/services/" + service + "/instances/r1", null, true);
        try (SseTestClient watch = new SseTestClient(uri("/v1/watch?service=" + service), lastId)) {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                SseTestClient.Event e = watch.next(Duration.ofSeconds(5));
                seen.add(e.name() + ":" + json.readTree(e.data()).at("/instance/id").asText());
            }
            assertThat(seen).containsExactly("REGISTERED:r1", "REGISTERED:r2", "DEREGISTERED:r1");
        }
        // an index the history no longer has (or from before a restart) starts from a snapshot
        try (SseTestClient watch = new SseTestClient(uri("/v1/watch?service=" + service), "999999999")) {
            assertThat(watch.next(Duration.ofSeconds(5)).name()).isEqualTo("SNAPSHOT");
        }
    }

    /** A heartbeat sent with an explicit request id, the token optional or wrong. */
    private HttpResponse<String> heartbeatCall(String path, String authorization, String requestId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.noBody())
                .header("X-Request-ID", requestId);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The heartbeat fast path (a servlet filter ahead of Jersey) against the Jersey resource:
     * the same request is sent once as a plain path (fast path) and once with the id
     * percent-encoded ({@code h%31} is {@code h1}), which the fast path leaves to Jersey.
     */
    @Test
    void heartbeatFastPathAnswersAsTheResourceDoes() throws Exception {
        String service = unique("fast");
        register(service, "h1", 9010, "");
        String plain = "/v1/services/" + service + "/instances/h1/heartbeat";
        String viaJersey = "/v1/services/" + service + "/instances/h%31/heartbeat";
        long before = ((RegistryApplication) APP.getApplication()).registry().heartbeatCount();

        HttpResponse<String> fast = heartbeatCall(plain, TOKEN, "req-fast-1");
        HttpResponse<String> slow = heartbeatCall(viaJersey, TOKEN, "req-slow-1");
        assertThat(fast.statusCode()).isEqualTo(200);
        assertThat(slow.statusCode()).isEqualTo(200);
        assertThat(json.readTree(fast.body())).isEqualTo(json.readTree(slow.body()));
        assertThat(json.readTree(fast.body())).isEqualTo(json.readTree("{\"id\":\"h1\",\"renewed\":true}"));
        assertThat(fast.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(fast.headers().firstValue("X-Request-ID")).contains("req-fast-1");
        assertThat(slow.headers().firstValue("X-Request-ID")).contains("req-slow-1");
        // a malformed request id is replaced, as the platform's filter does
        assertThat(heartbeatCall(plain, TOKEN, "bad id!").headers().firstValue("X-Request-ID"))
                .hasValueSatisfying(v -> assertThat(v).isNotEqualTo("bad id!").matches("[0-9a-f-]{36}"));
        // both renewals count, fast or not (registry_heartbeats_total)
        assertThat(((RegistryApplication) APP.getApplication()).registry().heartbeatCount()).isGreaterThanOrEqualTo(before + 3);

        // unknown instance: 404 INSTANCE_NOT_FOUND with the request id, either way
        for (String path : List.of("/v1/services/" + service + "/instances/nobody/heartbeat",
                "/v1/services/" + service + "/instances/nob%6Fdy/heartbeat")) {
            HttpResponse<String> missing = heartbeatCall(path, TOKEN, "req-404");
            assertThat(missing.statusCode()).as(path).isEqualTo(404);
            JsonNode error = json.readTree(missing.body()).get("error");
            assertThat(error.get("code").asText()).isEqualTo("INSTANCE_NOT_FOUND");
            assertThat(error.get("requestId").asText()).isEqualTo("req-404");
            assertThat(error.at("/details/instanceId").asText()).isEqualTo("nobody");
            assertThat(error.at("/details/service").asText()).isEqualTo(service);
        }

        // missing or wrong token: 401 UNAUTHENTICATED, and the lease is not renewed by it
        for (String authorization : java.util.Arrays.asList(null, "Bearer wrong-token", TOKEN + "x")) {
            for (String path : List.of(plain, viaJersey)) {
                HttpResponse<String> refused = heartbeatCall(path, authorization, "req-401");
                assertThat(refused.statusCode()).as(path + " " + authorization).isEqualTo(401);
                JsonNode error = json.readTree(refused.body()).get("error");
                assertThat(error.get("code").asText()).isEqualTo("UNAUTHENTICATED");
                assertThat(error.get("requestId").asText()).isEqualTo("req-401");
                assertThat(refused.headers().firstValue("WWW-Authenticate")).isPresent();
            }
        }
    }

    @Test
    void writesNeedTheTokenAndBodiesAreValidated() throws Exception {
        HttpResponse<String> noToken = call("POST", "/v1/services/x/instances", "{\"host\":\"h\",\"port\":1}", false);
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(noToken.body()).contains("UNAUTHENTICATED");
        assertThat(noToken.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(call("PUT", "/v1/services/x/instances/y/heartbeat", null, false).statusCode()).isEqualTo(401);

        HttpResponse<String> bad = call("POST", "/v1/services/x/instances", "{\"host\":\"\",\"port\":0,\"weight\":5000}", true);
        assertThat(bad.statusCode()).isEqualTo(422);
        JsonNode fields = json.readTree(bad.body()).at("/error/details/fields");
        assertThat(fields.findValuesAsText("field")).containsExactlyInAnyOrder("host", "port", "weight");

        HttpResponse<String> badName = call("POST", "/v1/services/Bad%20Name/instances", "{\"host\":\"h\",\"port\":1}", true);
        assertThat(badName.statusCode()).isEqualTo(422);

        HttpResponse<String> nullMetadata = call("POST", "/v1/services/x/instances", "{\"host\":\"h\",\"port\":1,\"metadata\":{\"k\":null}}", true);
        assertThat(nullMetadata.statusCode()).isEqualTo(422);

        HttpResponse<String> badIndex = call("GET", "/v1/services/x?index=abc&wait=1s", null, false);
        assertThat(badIndex.statusCode()).isEqualTo(400);
        assertThat(badIndex.body()).contains("BAD_REQUEST").contains("index");
        assertThat(call("GET", "/v1/services/x?index=1&wait=forever", null, false).statusCode()).isEqualTo(400);

        // holding an instance's session can bring it back UP, so it is a write
        assertThat(call("GET", "/v1/watch?service=x&session=x/y", null, false).statusCode()).isEqualTo(401);

        HttpResponse<String> badTtl = call("POST", "/v1/services/x/instances", "{\"host\":\"h\",\"port\":1,\"leaseTtlSeconds\":100000}", true);
        assertThat(badTtl.statusCode()).isEqualTo(422);
    }

    @Test
    void drainedInstancesAreKeptButNotHandedOut() throws Exception {
        String service = unique("drain");
        register(service, "d1", 9009, "");
        HttpResponse<String> r = call("PUT", "/v1/services/" + service + "/instances/d1/status", "{\"status\":\"OUT_OF_SERVICE\"}", true);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(instances(service, false)).isEmpty();
        assertThat(instances(service, true).get(0).get("status").asText()).isEqualTo("OUT_OF_SERVICE");
        assertThat(call("PUT", "/v1/services/" + service + "/instances/d1/status", "{\"status\":\"SIDEWAYS\"}", true).statusCode())
                .isEqualTo(400);
    }

    @Test
    void servicesListCountsByStatus() throws Exception {
        String service = unique("listed");
        register(service, "l1", 9010, "");
        JsonNode services = json.readTree(call("GET", "/v1/services", null, false).body()).get("services");
        JsonNode mine = null;
        for (JsonNode s : services) {
            if (s.get("service").asText().equals(service)) {
                mine = s;
            }
        }
        assertThat(mine).isNotNull();
        assertThat(mine.get("instances").asInt()).isEqualTo(1);
        assertThat(mine.at("/byStatus/UP").asInt()).isEqualTo(1);
    }

    @Test
    void metricsDescribeTheRegistry() throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getAdminPort() + "/metrics/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(body).contains("registry_heartbeats_total").contains("registry_watch_streams")
                .contains("registry_self_preservation").contains("registry_blocking_queries");
    }

}
