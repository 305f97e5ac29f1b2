package dev.wizmesh.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The platform bundle, through a running app on real sockets. */
@ExtendWith(DropwizardExtensionsSupport.class)
class PlatformBundleIT {
    private static final Path LOG_FILE = Path.of("target", "platform-test-" + UUID.randomUUID() + ".log");
    private static final DropwizardAppExtension<ServiceConfiguration> APP = new DropwizardAppExtension<>(
            PlatformTestApp.class, ResourceHelpers.resourceFilePath("platform-test.yml"),
            ConfigOverride.config("logging.appenders[1].currentLogFilename", LOG_FILE.toString()));

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder app(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + path));
    }

    private HttpRequest.Builder admin(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getAdminPort() + path));
    }

    private JsonNode error(HttpResponse<String> response) throws IOException {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        JsonNode body = json.readTree(response.body());
        JsonNode error = body.get("error");
        assertThat(error).as("error body %s", response.body()).isNotNull();
        assertThat(error.get("requestId").asText()).isEqualTo(response.headers().firstValue("X-Request-ID").orElseThrow());
        assertThat(error.get("traceId").asText()).matches("[0-9a-f]{32}");
        assertThat(error.has("details")).isTrue();
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at dev.").doesNotContain("at org.")
                .doesNotContain("com.example").doesNotContain("secret");
        return error;
    }

    @Test
    void generatesARequestIdWhenAbsent() throws Exception {
        HttpResponse<String> response = send(app("/things/1"));
        assertThat(response.statusCode()).isEqualTo(200);
        String id = response.headers().firstValue("X-Request-ID").orElseThrow();
        assertThat(UUID.fromString(id)).isNotNull();
        assertThat(json.readTree(response.body()).get("requestId").asText()).isEqualTo(id);
    }

    @Test
    void echoesAWellFormedRequestId() throws Exception {
        HttpResponse<String> response = send(app("/things/1").header("X-Request-ID", "client-abc.123:x"));
        assertThat(response.headers().firstValue("X-Request-ID")).hasValue("client-abc.123:x");
    }

    @Test
    void replacesMalformedOrOversizedRequestIds() throws Exception {
        for (String bad : List.of("has space", "new\tline", "<script>", "x".repeat(129))) {
            HttpResponse<String> response = send(app("/things/1").header("X-Request-ID", bad));
            String id = response.headers().firstValue("X-Request-ID").orElseThrow();
            assertThat(id).isNotEqualTo(bad);
            assertThat(UUID.fromString(id)).isNotNull();
        }
    }

    @Test
    void carriesTheCallerContextFromGatewayHeaders() throws Exception {
        HttpResponse<String> response = send(app("/things/7")
                .header("X-Tenant-ID", "tenant-1").header("X-User-ID", "user-9").header("X-User-Roles", "admin, buyer"));
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("tenantId").asText()).isEqualTo("tenant-1");
        assertThat(body.get("userId").asText()).isEqualTo("user-9");
        assertThat(body.get("roles").toString()).isEqualTo("[\"admin\",\"buyer\"]");
    }

    @Test
    void malformedTenantHeaderIs400() throws Exception {
        HttpResponse<String> response = send(app("/things/7").header("X-Tenant-ID", "a b;drop table"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).get("code").asText()).isEqualTo("BAD_REQUEST");
    }

    @Test
    void malformedJsonIs400() throws Exception {
        HttpResponse<String> response = send(app("/things").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": ")));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).get("code").asText()).isEqualTo("MALFORMED_JSON");
    }

    @Test
    void wrongTypeInJsonIs400NamingTheField() throws Exception {
        HttpResponse<String> response = send(app("/things").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"a\",\"count\":\"many\"}")));
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = error(response);
        assertThat(error.get("code").asText()).isEqualTo("MALFORMED_JSON");
        assertThat(error.at("/details/field").asText()).isEqualTo("count");
    }

    @Test
    void invalidFieldsAre422WithEachField() throws Exception {
        HttpResponse<String> response = send(app("/things").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\" \",\"count\":0}")));
        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode error = error(response);
        assertThat(error.get("code").asText()).isEqualTo("VALIDATION_FAILED");
        assertThat(error.at("/details/fields/0/field").asText()).isEqualTo("count");
        assertThat(error.at("/details/fields/1/field").asText()).isEqualTo("name");
        assertThat(error.at("/details/fields/1/message").asText()).isNotBlank();
    }

    @Test
    void missingBodyIs422() throws Exception {
        HttpResponse<String> response = send(app("/things").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(response.statusCode()).isIn(400, 422);
        error(response);
    }

    @Test
    void unknownRouteIs404() throws Exception {
        HttpResponse<String> response = send(app("/nowhere"));
        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode error = error(response);
        assertThat(error.get("code").asText()).isEqualTo("ROUTE_NOT_FOUND");
        assertThat(error.get("message").asText()).isEqualTo("No endpoint matches GET /nowhere");
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        HttpResponse<String> response = send(app("/things/1").DELETE());
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(error(response).get("code").asText()).isEqualTo("METHOD_NOT_ALLOWED");
        assertThat(response.headers().firstValue("Allow").orElseThrow()).contains("GET");
    }

    @Test
    void errorsJettyAnswersItselfAreJsonToo() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", APP.getLocalPort())) {
            socket.getOutputStream().write("GET /%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes());
            String raw = new String(socket.getInputStream().readAllBytes());
            assertThat(raw).startsWith("HTTP/1.1 400").contains("Content-Type: application/json")
                    .contains("\"code\":\"BAD_REQUEST\"").contains("X-Request-ID: ").doesNotContain("<html");
        }
    }

    @Test
    void applicationErrorsUseTheirCatalogueCode() throws Exception {
        HttpResponse<String> response = send(app("/things/conflict"));
        assertThat(response.statusCode()).isEqualTo(409);
        JsonNode error = error(response);
        assertThat(error.get("code").asText()).isEqualTo("CONFLICT");
        assertThat(error.at("/details/reason").asText()).isEqualTo("already there");
    }

    @Test
    void unexpectedFailureIs500WithoutInternals() throws Exception {
        HttpResponse<String> response = send(app("/things/boom"));
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(error(response).get("code").asText()).isEqualTo("INTERNAL");
    }

    @Test
    void continuesAnIncomingTraceAndLogsItsIds() throws Exception {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String requestId = "trace-test-" + UUID.randomUUID();
        HttpResponse<String> response = send(app("/things/traced")
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .header("X-Request-ID", requestId));
        assertThat(response.statusCode()).isEqualTo(200);

        SpanData span = awaitSpan(traceId);
        assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(span.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(span.getName()).isEqualTo("GET /things/{id}");
        assertThat(span.getAttributes().asMap().toString()).contains("http.route=/things/{id}")
                .contains("http.response.status_code=200");

        JsonNode line = logLine("serving thing traced");
        assertThat(line.at("/mdc/requestId").asText()).isEqualTo(requestId);
        assertThat(line.at("/mdc/traceId").asText()).isEqualTo(traceId);
        assertThat(line.at("/mdc/spanId").asText()).isEqualTo(span.getSpanId());
    }

    @Test
    void failuresAreRecordedOnTheSpan() throws Exception {
        String traceId = "5bf92f3577b34da6a3ce929d0e0e4736";
        send(app("/things/boom").header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"));
        SpanData span = awaitSpan(traceId);
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getEvents()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("exception");
            assertThat(e.getAttributes().asMap().toString()).contains("exception.stacktrace");
        });
        assertThat(span.getAttributes().asMap().toString()).contains("wizmesh.error.code=INTERNAL");
    }

    @Test
    void prometheusEndpointCountsTheRouteJustCalled() throws Exception {
        send(app("/things/metered"));
        HttpResponse<String> response = send(admin("/metrics/prometheus"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(response.body())
                .contains("# TYPE http_server_requests_total counter")
                .containsPattern("http_server_requests_total\\{method=\"GET\",route=\"/things/\\{id}\",status=\"2xx\"} \\d")
                .contains("http_server_request_duration_seconds_bucket{")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void healthProbesAnswerOnAdmin() throws Exception {
        assertThat(send(admin("/healthcheck")).statusCode()).isEqualTo(200);
        HttpResponse<String> ready = send(admin("/health-check?type=ready"));
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json.readTree(ready.body()).get("healthy").asBoolean()).isTrue();
        assertThat(send(admin("/health/alive")).statusCode()).isEqualTo(200);
        assertThat(send(admin("/health-check?type=sideways")).statusCode()).isEqualTo(400);
    }

    /**
     * The server span of a trace, once finished: it ends in the filter after the response has
     * gone out, so the client can see the response a moment before the span is exported.
     */
    private static SpanData awaitSpan(String traceId) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            APP.<PlatformTestApp>getApplication().platform.tracing().flush();
            var found = MemorySpanExporterProvider.SPANS.getFinishedSpanItems().stream()
                    .filter(s -> s.getTraceId().equals(traceId)).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no finished span for trace " + traceId);
    }

    /** The JSON log line with this message; Dropwizard's appenders are asynchronous, so it may take a moment. */
    private JsonNode logLine(String message) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(LOG_FILE)) {
                for (String line : Files.readAllLines(LOG_FILE)) {
                    JsonNode node = json.readTree(line);
                    if (node.path("message").asText().equals(message)) {
                        return node;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no JSON log line with message '" + message + "' in " + LOG_FILE);
    }
}
