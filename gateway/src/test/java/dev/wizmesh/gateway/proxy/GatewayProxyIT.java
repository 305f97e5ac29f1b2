package dev.wizmesh.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wizmesh.gateway.GatewayApplication;
import dev.wizmesh.gateway.GatewayConfiguration;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway in process, in front of real upstream servers on loopback ports (found through
 * static discovery), called over real sockets.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class GatewayProxyIT {
    static final EchoUpstream USERS = start("users");
    static final EchoUpstream SPECIAL = start("special");
    static final EchoUpstream FLAKY_LIVE = start("flaky-live");
    static final EchoUpstream STABLE = start("stable");
    static final EchoUpstream CANARY = start("canary");
    static final KeepAliveTrapUpstream STALE = trap(true, 0);
    static final KeepAliveTrapUpstream IDLE = trap(false, 200);
    static final int DEAD_PORT = freePort();

    public static class TestGateway extends GatewayApplication {
        public TestGateway() {
            super(new FakeAuthenticator());
        }
    }

    static final DropwizardAppExtension<GatewayConfiguration> APP =
            new DropwizardAppExtension<>(TestGateway.class, config().toString());

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterAll
    static void stopUpstreams() throws IOException {
        USERS.close();
        SPECIAL.close();
        FLAKY_LIVE.close();
        STABLE.close();
        CANARY.close();
        STALE.close();
        IDLE.close();
    }

    static Path config() {
        String yaml = """
                server:
                  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: 0, maxRequestHeaderSize: 16KiB}]
                  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]
                  gzip: {enabled: false}
                  requestLog: {appenders: []}
                logging:
                  level: WARN
                tracing: {serviceName: gateway, exporter: none}
                discovery:
                  mode: static
                  static:
                    user-svc: ["%s"]
                    special-svc: ["%s"]
                    flaky-svc: ["127.0.0.1:%d", "%s"]
                    stale-svc: ["%s"]
                    idle-svc: ["%s"]
                    canary-svc: ["%s?version=1.0.0", "%s?version=2.0.0"]
                routes:
                  - {id: users, path: /api/v1/users/**, service: user-svc}
                  - {id: special, path: /api/v1/users/special/**, service: special-svc, auth: public}
                  - {id: create, path: /create, methods: [POST], service: user-svc, auth: public}
                  - {id: public, path: /public/**, service: user-svc, auth: public, maxBodySize: 300MiB, timeout: 60s}
                  - {id: strip, path: /strip/**, service: user-svc, auth: public, stripPrefix: 1}
                  - id: rewrite
                    path: /legacy/*/items
                    service: user-svc
                    auth: public
                    rewrite: {from: "^/legacy/(.*)/items$", to: "/v2/items/$1"}
                  - {id: small, path: /small/**, service: user-svc, auth: public, maxBodySize: 1KiB}
                  - {id: slow, path: /slowpoke/**, service: user-svc, auth: public, timeout: 300ms}
                  - {id: ghost, path: /ghost/**, service: ghost-svc, auth: public}
                  - {id: flaky, path: /flaky/**, service: flaky-svc, auth: public}
                  - {id: stale, path: /stale/**, service: stale-svc, auth: public, rateLimit: none}
                  - {id: idle, path: /idle/**, service: idle-svc, auth: public}
                  - id: canary
                    path: /canary/**
                    service: canary-svc
                    auth: public
                    rateLimit: none
                    canary:
                      header: {name: X-Canary, value: always, version: 2.0.0}
                      weights: {"1.0.0": 90, "2.0.0": 10}
                proxy:
                  loadBalancer: {type: round_robin}
                cors:
                  allowedOrigins: ["https://app.example.com"]
                """.formatted(USERS.address(), SPECIAL.address(), DEAD_PORT, FLAKY_LIVE.address(),
                STALE.address(), IDLE.address(), STABLE.address(), CANARY.address());
        try {
            Path file = Files.createTempFile("gateway-it", ".yml");
            Files.writeString(file, yaml);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- routing

    @Test
    void routesToTheMostSpecificRouteAndPassesTheQuery() throws Exception {
        HttpResponse<String> special = get("/api/v1/users/special/x?a=1&b=%20");
        assertThat(special.statusCode()).isEqualTo(200);
        assertThat(special.body()).isEqualTo("special GET /api/v1/users/special/x?a=1&b=%20");

        HttpResponse<String> users = send(request("/api/v1/users/me").header("Authorization", "Bearer good").build());
        assertThat(users.body()).isEqualTo("users GET /api/v1/users/me");
    }

    @Test
    void unknownRouteIs404AndWrongMethodIs405InTheErrorShape() throws Exception {
        HttpResponse<String> none = get("/nowhere");
        assertThat(none.statusCode()).isEqualTo(404);
        JsonNode error = JSON.readTree(none.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("ROUTE_NOT_FOUND");
        assertThat(error.get("requestId").asText()).isEqualTo(none.headers().firstValue("X-Request-ID").orElseThrow());

        HttpResponse<String> wrong = get("/create");
        assertThat(wrong.statusCode()).isEqualTo(405);
        assertThat(wrong.headers().firstValue("Allow")).contains("POST");
        assertThat(code(wrong)).isEqualTo("METHOD_NOT_ALLOWED");
    }

    @Test
    void stripPrefixAndRewrite() throws Exception {
        assertThat(get("/strip/api/thing?q=1").body()).isEqualTo("users GET /api/thing?q=1");
        assertThat(get("/legacy/42/items").body()).isEqualTo("users GET /v2/items/42");
    }

    @Test
    void requiredAuthWithoutAValidTokenIs401WithWwwAuthenticate() throws Exception {
        int before = USERS.requests.get();
        HttpResponse<String> missing = get("/api/v1/users/me");
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(code(missing)).isEqualTo("UNAUTHENTICATED");
        assertThat(missing.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
        assertThat(send(request("/api/v1/users/me").header("Authorization", "Bearer forged").build()).statusCode()).isEqualTo(401);
        assertThat(USERS.requests.get()).isEqualTo(before);
    }

    // ---------------------------------------------------------------- edge errors

    @Test
    void noInstanceIs503() throws Exception {
        HttpResponse<String> response = get("/ghost/x");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(code(response)).isEqualTo("NO_HEALTHY_INSTANCE");
    }

    @Test
    void aRouteTimeoutIs504() throws Exception {
        HttpResponse<String> response = get("/slowpoke/slow");
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(code(response)).isEqualTo("UPSTREAM_TIMEOUT");
    }

    @Test
    void bodiesOverTheRouteLimitAre413ByLengthAndWhileStreaming() throws Exception {
        HttpResponse<String> declared = send(request("/small/x").POST(HttpRequest.BodyPublishers.ofString("x".repeat(2000))).build());
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(code(declared)).isEqualTo("PAYLOAD_TOO_LARGE");

        // no Content-Length: counted as it streams
        HttpResponse<String> chunked = send(request("/small/upload").POST(HttpRequest.BodyPublishers.ofInputStream(
                () -> new Generated(64 * 1024, null, 0))).build());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(code(chunked)).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void oversizedHeadersAre431InTheErrorShape() throws Exception {
        RawHttp.Reply reply = RawHttp.send(port(), "GET /public/x HTTP/1.1\r\nHost: gw\r\nX-Big: " + "a".repeat(20_000), "");
        assertThat(reply.status()).isEqualTo(431);
        assertThat(JSON.readTree(reply.body()).get("error").get("code").asText()).isEqualTo("HEADERS_TOO_LARGE");
    }

    @Test
    void traversalAndAmbiguousEncodingsAre400AndNeverReachAnUpstream() throws Exception {
        int before = USERS.requests.get() + SPECIAL.requests.get();
        for (String path : List.of("/public/../api/v1/users/me", "/public/%2e%2e/admin", "/public/%2E%2E%2Fadmin",
                "/public/a%2fb", "/public/%252e%252e/admin", "/public/a\\..\\b", "/public/a;jsessionid=1", "/public//x")) {
            RawHttp.Reply reply = RawHttp.send(port(), "GET " + path + " HTTP/1.1\r\nHost: gw", "");
            assertThat(reply.status()).as(path).isEqualTo(400);
            assertThat(reply.body()).as(path).contains("\"code\":\"BAD_REQUEST\"");
        }
        assertThat(USERS.requests.get() + SPECIAL.requests.get()).isEqualTo(before);
    }

    @Test
    void upstreamServerHeadersAndStackTracesAreNotLeaked() throws Exception {
        HttpResponse<String> ok = get("/public/x");
        assertThat(ok.headers().firstValue("Server")).isEmpty();
        assertThat(ok.headers().firstValue("X-Powered-By")).isEmpty();
        assertThat(ok.headers().firstValue("X-Upstream")).contains("users");
    }

    // ---------------------------------------------------------------- streaming

    @Test
    void a200MbUploadStreamsToTheUpstreamWhileTheClientIsStillSending() throws Exception {
        long size = 200L << 20;
        USERS.uploadStarted = new java.util.concurrent.CountDownLatch(1);
        Generated body = new Generated(size, USERS.uploadStarted, 4 << 20);
        HttpResponse<String> response = send(request("/public/upload")
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), size)).build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(Long.toString(size));
        // the client paused after 4 MiB until the upstream had received 1 MiB: no buffering in between
        assertThat(body.upstreamSawBytesMidUpload).isTrue();
    }

    @Test
    void a200MbDownloadStreamsToTheClientWhileTheUpstreamIsStillWriting() throws Exception {
        long size = 200L << 20;
        USERS.downloadMayContinue = new java.util.concurrent.CountDownLatch(1);
        HttpResponse<InputStream> response = http.send(request("/public/download?size=" + size).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = response.body()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
                if (total >= 1 << 20) {
                    USERS.downloadMayContinue.countDown();
                }
            }
        }
        assertThat(total).isEqualTo(size);
        // the upstream paused after 1 MiB until the client had it: no buffering in between
        assertThat(USERS.downloadReleasedMidStream).isTrue();
    }

    // ---------------------------------------------------------------- headers

    @Test
    void hopByHopHeadersAreDroppedAndForwardingHeadersReplaced() throws Exception {
        RawHttp.Reply reply = RawHttp.send(port(), String.join("\r\n",
                "GET /public/hop HTTP/1.1", "Host: api.example.com",
                "Connection: X-Hop-Secret", "X-Hop-Secret: 1", "Keep-Alive: timeout=5", "TE: trailers",
                "Proxy-Authorization: Basic Zm9vOmJhcg==",
                "X-Forwarded-For: 6.6.6.6", "X_Forwarded_For: 7.7.7.7", "X-Forwarded-Host: evil.example",
                "X-Forwarded-Proto: https", "Forwarded: for=6.6.6.6", "X-Real-IP: 6.6.6.6", "X-Kept: yes"), "");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        EchoUpstream.Seen seen = USERS.last();
        for (String hop : List.of("X-Hop-Secret", "Keep-Alive", "TE", "Proxy-Authorization", "X-Real-IP", "X_Forwarded_For")) {
            assertThat(seen.all(hop)).as(hop).isEmpty();
        }
        assertThat(seen.all("X-Kept")).containsExactly("yes");
        assertThat(seen.all("X-Forwarded-For")).containsExactly("127.0.0.1");
        assertThat(seen.all("X-Forwarded-Host")).containsExactly("api.example.com");
        assertThat(seen.all("X-Forwarded-Proto")).containsExactly("http");
        assertThat(seen.all("Forwarded")).containsExactly("for=127.0.0.1;proto=http;host=\"api.example.com\"");
    }

    @Test
    void noSpellingOfAnIdentityHeaderReachesTheUpstream() throws Exception {
        List<String> spoofs = new ArrayList<>();
        for (String name : List.of("X-Tenant-ID", "X-User-ID", "X-User-Roles")) {
            spoofs.add(name + ": evil");
            spoofs.add(name.toLowerCase() + ": evil");
            spoofs.add(name.toUpperCase() + ": evil");
            spoofs.add(name.replace('-', '_') + ": evil");
            spoofs.add(name.toLowerCase().replace('-', '_') + ": evil");
            spoofs.add(name.substring(0, 5) + name.substring(5).replace('-', '_') + ": evil");
            spoofs.add(name + ": evil2");   // duplicated
        }
        String connection = "Connection: X-Tenant-ID, x_user_id, X-USER-ROLES";

        // a public route: no caller, so no identity header at all
        RawHttp.Reply anonymous = RawHttp.send(port(), "GET /public/fuzz HTTP/1.1\r\nHost: gw\r\n" + connection + "\r\n"
                + String.join("\r\n", spoofs), "");
        assertThat(anonymous.status()).isEqualTo(200);
        assertNoIdentityExcept(USERS.last(), null);

        // an authenticated route: exactly the gateway's values, once each
        RawHttp.Reply authenticated = RawHttp.send(port(), "GET /api/v1/users/fuzz HTTP/1.1\r\nHost: gw\r\n"
                + "Authorization: Bearer good\r\n" + connection + "\r\n" + String.join("\r\n", spoofs), "");
        assertThat(authenticated.status()).isEqualTo(200);
        assertNoIdentityExcept(USERS.last(), FakeAuthenticator.CALLER);
    }

    private static void assertNoIdentityExcept(EchoUpstream.Seen seen, dev.wizmesh.gateway.auth.Caller caller) {
        seen.headers().forEach((name, values) -> {
            if (IdentityHeaders.isIdentityHeader(name)) {
                assertThat(caller).as("identity header %s reached the upstream", name).isNotNull();
                assertThat(values).as(name).hasSize(1);
                assertThat(values.get(0)).as(name).doesNotContain("evil");
            }
        });
        if (caller != null) {
            assertThat(seen.all("X-Tenant-ID")).containsExactly("tenant-1");
            assertThat(seen.all("X-User-ID")).containsExactly("user-1");
            assertThat(seen.all("X-User-Roles")).containsExactly("admin,user");
        }
    }

    @Test
    void theRequestIdAndAChildTraceparentArriveUpstream() throws Exception {
        String clientTrace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        HttpResponse<String> response = send(request("/public/trace").header("X-Request-ID", "my-id-1")
                .header("traceparent", clientTrace).build());
        assertThat(response.headers().firstValue("X-Request-ID")).contains("my-id-1");
        EchoUpstream.Seen seen = USERS.last();
        assertThat(seen.all("X-Request-ID")).containsExactly("my-id-1");
        String upstreamTrace = seen.all("traceparent").get(0);
        assertThat(upstreamTrace).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-").doesNotContain("00f067aa0ba902b7");
    }

    // ---------------------------------------------------------------- retries and pooled connections

    @Test
    void aRefusedConnectionIsRetriedOnAnotherInstance() throws Exception {
        int before = FLAKY_LIVE.requests.get();
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> response = send(request("/flaky/" + i).POST(HttpRequest.BodyPublishers.ofString("body " + i)).build());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("flaky-live POST /flaky/" + i);
        }
        assertThat(FLAKY_LIVE.requests.get() - before).isEqualTo(6);
        assertThat(metrics()).containsPattern("gateway_upstream_attempts_total\\{[^}]*outcome=\"not_sent\"[^}]*service=\"flaky-svc\"|"
                + "gateway_upstream_attempts_total\\{[^}]*service=\"flaky-svc\"[^}]*outcome=\"not_sent\"");
    }

    @Test
    void aCanaryWeightSplitsTrafficByInstanceVersionAndAHeaderPinsIt() throws Exception {
        int requests = 10_000;
        int canary = 0;
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> r = get("/canary/" + i);
            assertThat(r.statusCode()).isEqualTo(200);
            if ("canary".equals(r.headers().firstValue("X-Upstream").orElse(""))) {
                canary++;
            }
        }
        double share = 100.0 * canary / requests;
        System.out.printf("canary: %d of %d requests (%.2f %%) went to version 2.0.0, configured 10 %%%n", canary, requests, share);
        assertThat(share).as("share of version 2.0.0").isBetween(8.0, 12.0);
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> pinned = send(request("/canary/pinned").header("X-Canary", "always").build());
            assertThat(pinned.headers().firstValue("X-Upstream")).contains("canary");
        }
    }

    @Test
    void anyUpstreamStatusPassesThroughAsItIs() throws Exception {
        // Jetty's HttpClient would treat these as its own business (authentication, redirects) by default
        for (int code : new int[] {401, 407, 301, 302, 303, 307, 308, 418}) {
            HttpResponse<String> response = get("/public/status?code=" + code);
            assertThat(response.statusCode()).as("status %d: %s", code, response.body()).isEqualTo(code);
            assertThat(response.body()).as("status %d", code).isEqualTo("as asked");
        }
    }

    @Test
    void aCompressedBodyPassesThroughCompressed() throws Exception {
        HttpResponse<byte[]> response = http.send(request("/public/gzipped").header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.headers().firstValue("Content-Encoding")).contains("gzip");
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(response.body()))) {
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("compressed by the upstream");
        }
    }

    @Test
    void aPooledConnectionTheUpstreamDropsIsRetriedTransparently() throws Exception {
        // every request after the first meets a dropped connection; 50 of them make the rarer
        // paths likely too (two dead connections in a row, the client losing the exchange)
        for (int i = 0; i < 50; i++) {
            HttpResponse<String> response = send(request("/stale/" + i).POST(HttpRequest.BodyPublishers.ofString("{\"n\":" + i + "}")).build());
            assertThat(response.statusCode()).as("request %d: %s", i, response.body()).isEqualTo(200);
        }
        assertThat(STALE.dropped.get()).isPositive();   // the race did happen, and no client saw it
    }

    @Test
    void anUpstreamClosingIdleKeepAliveConnectionsEarlyCausesNoErrors() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(get("/idle/" + i).statusCode()).isEqualTo(200);
            TimeUnit.MILLISECONDS.sleep(500);   // longer than the upstream's 200 ms keep-alive
        }
        assertThat(IDLE.dropped.get()).isPositive();
    }

    // ---------------------------------------------------------------- CORS and metrics

    @Test
    void corsPreflightIsAnsweredByTheGateway() throws Exception {
        int before = USERS.requests.get();
        HttpResponse<String> ok = send(request("/public/x").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example.com").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type").build());
        assertThat(ok.statusCode()).isEqualTo(204);
        assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example.com");
        assertThat(ok.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("POST");
        assertThat(ok.headers().firstValue("Access-Control-Max-Age")).contains("600");

        HttpResponse<String> denied = send(request("/public/x").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST").build());
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(USERS.requests.get()).isEqualTo(before);

        HttpResponse<String> actual = send(request("/public/x").header("Origin", "https://app.example.com").build());
        assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example.com");
        assertThat(actual.headers().firstValue("Access-Control-Expose-Headers").orElseThrow()).contains("X-Request-ID");
    }

    @Test
    void requestsAreCountedByRouteServiceAndStatus() throws Exception {
        get("/public/counted");
        get("/nowhere/counted");
        String text = metrics();
        assertThat(text).containsPattern("gateway_requests_total\\{[^}]*route=\"public\"[^}]*\\} ");
        assertThat(text).contains("route=\"UNMATCHED\"");
        assertThat(text).contains("gateway_request_duration_seconds_bucket");
    }

    // ---------------------------------------------------------------- helpers

    private static int port() {
        return APP.getLocalPort();
    }

    private HttpRequest.Builder request(String path) {
        // a gateway that never answers must fail the test, not hang the build (the streaming
        // tests move 200 MB, hence the generous bound)
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path)).timeout(java.time.Duration.ofMinutes(2));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(request(path).build());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private String metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getAdminPort() + "/metrics/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String code(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body()).get("error").get("code").asText();
    }

    private static EchoUpstream start(String name) {
        try {
            return new EchoUpstream(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeepAliveTrapUpstream trap(boolean closeOnSecond, int idleMillis) {
        try {
            return new KeepAliveTrapUpstream(closeOnSecond, idleMillis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A body made up as it is read, never held: {@code size} bytes; after {@code pauseAfter}
     * bytes it waits for {@code upstreamStarted} (the upstream has begun receiving) and notes
     * whether that happened.
     */
    static final class Generated extends InputStream {
        private final long size;
        private final java.util.concurrent.CountDownLatch upstreamStarted;
        private final long pauseAfter;
        private long sent;
        volatile boolean upstreamSawBytesMidUpload;

        Generated(long size, java.util.concurrent.CountDownLatch upstreamStarted, long pauseAfter) {
            this.size = size;
            this.upstreamStarted = upstreamStarted;
            this.pauseAfter = pauseAfter;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (sent >= size) {
                return -1;
            }
            if (upstreamStarted != null && sent >= pauseAfter && !upstreamSawBytesMidUpload) {
                try {
                    upstreamSawBytesMidUpload = upstreamStarted.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int n = (int) Math.min(len, size - sent);
            java.util.Arrays.fill(b, off, off + n, (byte) 'x');
            sent += n;
            return n;
        }
    }
}
