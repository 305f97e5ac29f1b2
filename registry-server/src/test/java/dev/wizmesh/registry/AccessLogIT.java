package dev.wizmesh.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code requestLog.type: skip-renewed-heartbeats}: a heartbeat answered 200 never reaches the
 * access log, while failed heartbeats and every other call do, with the request id attribute
 * the platform sets (so the servlet request is still what the log sees).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class AccessLogIT {
    private static final Path LOG = Path.of("target", "access-log-it-" + ProcessHandle.current().pid() + ".log").toAbsolutePath();
    static final DropwizardAppExtension<RegistryConfiguration> APP = new DropwizardAppExtension<>(RegistryApplication.class,
            ResourceHelpers.resourceFilePath("registry-access-log-test.yml"),
            ConfigOverride.config("server.requestLog.appenders[0].currentLogFilename", LOG.toString()));
    private static final String TOKEN = "Bearer test-token";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private int call(String method, String path, String body, String requestId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", TOKEN).header("X-Request-ID", requestId);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void renewedHeartbeatsAreLeftOutAndEverythingElseIsLogged() throws Exception {
        assertThat(call("POST", "/v1/services/logged/instances", "{\"id\":\"a1\",\"host\":\"127.0.0.1\",\"port\":9000}", "req-register"))
                .isEqualTo(201);
        assertThat(call("PUT", "/v1/services/logged/instances/a1/heartbeat", null, "req-renewed-fast")).isEqualTo(200);
        assertThat(call("PUT", "/v1/services/logged/instances/a%31/heartbeat", null, "req-renewed-jersey")).isEqualTo(200);
        assertThat(call("PUT", "/v1/services/logged/instances/nobody/heartbeat", null, "req-unknown")).isEqualTo(404);
        assertThat(call("GET", "/v1/services/logged", null, "req-read")).isEqualTo(200);
        // the log is written asynchronously, in order: once the last call is there, all before it are
        assertThat(call("GET", "/v1/services", null, "req-last")).isEqualTo(200);

        List<JsonNode> lines = linesUntil("req-last");
        List<String> logged = new ArrayList<>();
        for (JsonNode line : lines) {
            logged.add(line.at("/requestAttributes/dev.wizmesh.platform.requestid.RequestIdFilter").asText()
                    + " " + line.get("method").asText() + " " + line.get("uri").asText() + " " + line.get("status").asInt());
        }
        assertThat(logged).containsExactly(
                "req-register POST /v1/services/logged/instances 201",
                "req-unknown PUT /v1/services/logged/instances/nobody/heartbeat 404",
                "req-read GET /v1/services/logged 200",
                "req-last GET /v1/services 200");
    }

    /** The access log's lines, read until one carries this request id (the log is asynchronous). */
    private List<JsonNode> linesUntil(String requestId) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(LOG)) {
                List<JsonNode> lines = new ArrayList<>();
                for (String line : Files.readAllLines(LOG)) {
                    if (!line.isBlank()) {
                        lines.add(json.readTree(line));
                    }
                }
                if (lines.stream().anyMatch(l -> l.toString().contains(requestId))) {
                    return lines;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the access log never showed " + requestId + ": " + (Files.exists(LOG) ? Files.readString(LOG) : "no file"));
    }
}
