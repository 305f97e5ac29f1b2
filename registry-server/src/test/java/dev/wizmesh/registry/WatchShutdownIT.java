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

/** When shutdown begins, every watch stream ends and new ones are refused with 503 SHUTTING_DOWN. */
@ExtendWith(DropwizardExtensionsSupport.class)
class WatchShutdownIT {
    static final DropwizardAppExtension<RegistryConfiguration> APP =
            new DropwizardAppExtension<>(RegistryApplication.class, ResourceHelpers.resourceFilePath("registry-test.yml"));

    @Test
    void closeAllEndsEveryStreamAndRefusesNewOnes() throws Exception {
        try (RawWatcher plain = RawWatcher.reading(APP.getLocalPort(), "/v1/watch");
             RawWatcher filtered = RawWatcher.reading(APP.getLocalPort(), "/v1/watch?service=a")) {
            assertThat(plain.awaitSnapshot(Duration.ofSeconds(10))).isTrue();
            assertThat(filtered.awaitSnapshot(Duration.ofSeconds(10))).isTrue();

            ((RegistryApplication) APP.getApplication()).watches().closeAll();

            assertThat(plain.awaitLine("<end of stream>", Duration.ofSeconds(10))).isNotNull();
            assertThat(filtered.awaitLine("<end of stream>", Duration.ofSeconds(10))).isNotNull();
            assertThat(((RegistryApplication) APP.getApplication()).watches().openStreams()).isZero();
        }
        HttpResponse<String> refused = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + "/v1/watch")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(new ObjectMapper().readTree(refused.body()).at("/error/code").asText()).isEqualTo("SHUTTING_DOWN");
    }
}
