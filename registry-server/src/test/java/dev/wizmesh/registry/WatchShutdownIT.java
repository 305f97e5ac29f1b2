package dev.wizmesh.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * When shutdown begins, every watch stream ends and new ones are refused with 503 SHUTTING_DOWN;
 * the sessions among them were ended by the registry, not lost, so no instance is marked DOWN
 * (clients reading this registry while it drains would otherwise see every instance go).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class WatchShutdownIT {
    static final DropwizardAppExtension<RegistryConfiguration> APP =
            new DropwizardAppExtension<>(RegistryApplication.class, ResourceHelpers.resourceFilePath("registry-test.yml"));

    @Test
    void closeAllEndsEveryStreamAndRefusesNewOnes() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> registered = http.send(HttpRequest.newBuilder(uri("/v1/services/a/instances"))
                .header("Authorization", "Bearer test-token").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"a1\",\"host\":\"127.0.0.1\",\"port\":7300}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(registered.statusCode()).isEqualTo(201);
        RegistryApplication app = APP.getApplication();
        try (RawWatcher plain = RawWatcher.reading(APP.getLocalPort(), "/v1/watch");
             RawWatcher filtered = RawWatcher.reading(APP.getLocalPort(), "/v1/watch?service=a");
             RawWatcher session = RawWatcher.session(APP.getLocalPort(), "/v1/watch?service=a&session=a/a1", "test-token")) {
            assertThat(plain.awaitSnapshot(Duration.ofSeconds(10))).isTrue();
            assertThat(filtered.awaitSnapshot(Duration.ofSeconds(10))).isTrue();
            assertThat(session.awaitSnapshot(Duration.ofSeconds(10))).isTrue();

            app.watches().closeAll();

            assertThat(plain.awaitLine("<end of stream>", Duration.ofSeconds(10))).isNotNull();
            assertThat(filtered.awaitLine("<end of stream>", Duration.ofSeconds(10))).isNotNull();
            assertThat(session.awaitLine("<end of stream>", Duration.ofSeconds(10))).isNotNull();
            assertThat(app.watches().openStreams()).isZero();
        }
        Thread.sleep(300 + 500); // the session grace (registry-test.yml) and then some
        assertThat(app.registry().view("a", false).instances()).as("still UP after its session was ended by the registry")
                .extracting(i -> i.id()).containsExactly("a1");
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(uri("/v1/watch")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(new ObjectMapper().readTree(refused.body()).at("/error/code").asText()).isEqualTo("SHUTTING_DOWN");
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + APP.getLocalPort() + path);
    }
}
