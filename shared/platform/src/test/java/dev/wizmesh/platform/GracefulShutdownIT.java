package dev.wizmesh.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Stopping the server lets a request in flight finish, within the grace period. */
class GracefulShutdownIT {

    @Test
    void inFlightRequestsFinishDuringShutdown() throws Exception {
        DropwizardTestSupport<ServiceConfiguration> app = new DropwizardTestSupport<>(PlatformTestApp.class,
                ResourceHelpers.resourceFilePath("platform-test.yml"),
                ConfigOverride.config("server.shutdownGracePeriod", "5s"));
        app.before();
        HttpClient http = HttpClient.newHttpClient();
        URI slow = URI.create("http://127.0.0.1:" + app.getLocalPort() + "/things/slow?ms=1500");
        CompletableFuture<HttpResponse<String>> inFlight =
                http.sendAsync(HttpRequest.newBuilder(slow).build(), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300); // the request is now being served

        long start = System.nanoTime();
        app.after();
        Duration stopTook = Duration.ofNanos(System.nanoTime() - start);

        HttpResponse<String> response = inFlight.get();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"sleptMs\":1500");
        // the stop waited for the request, and no longer than the grace period
        assertThat(stopTook).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
    }
}
