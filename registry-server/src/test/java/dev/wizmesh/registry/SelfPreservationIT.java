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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A scale-down from 20 to 2 expires the 18 (self-preservation stays off), while heartbeats
 * stopping from everyone at once (the registry cut off) turn it on and nothing expires.
 * A registry of its own: self-preservation looks at every instance it holds.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SelfPreservationIT {
    static final DropwizardAppExtension<RegistryConfiguration> APP =
            new DropwizardAppExtension<>(RegistryApplication.class, ResourceHelpers.resourceFilePath("registry-test.yml"));

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private ScheduledExecutorService beats;

    @AfterEach
    void stopBeats() throws Exception {
        if (beats != null) {
            beats.shutdownNow();
        }
        for (String id : new ArrayList<>(APP.<RegistryApplication>getApplication().registry().view("fleet", true)
                .instances().stream().map(i -> i.id()).toList())) {
            send("DELETE", "/v1/services/fleet/instances/" + id, null);
        }
    }

    private int send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + path))
                .header("Authorization", "Bearer test-token")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private List<String> registerFleet(int n) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "f" + i;
            assertThat(send("POST", "/v1/services/fleet/instances", "{\"id\":\"" + id + "\",\"host\":\"127.0.0.1\",\"port\":" + (10_000 + i) + "}"))
                    .isEqualTo(201);
            ids.add(id);
        }
        return ids;
    }

    private void heartbeat(List<String> ids) {
        beats = Executors.newSingleThreadScheduledExecutor();
        beats.scheduleAtFixedRate(() -> ids.forEach(id -> {
            try {
                send("PUT", "/v1/services/fleet/instances/" + id + "/heartbeat", null);
            } catch (Exception ignored) {
                // next beat
            }
        }), 0, 300, TimeUnit.MILLISECONDS);
    }

    private int listed() throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + "/v1/services/fleet?all=true")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return json.readTree(body).get("instances").size();
    }

    private boolean engaged() {
        return APP.<RegistryApplication>getApplication().selfPreservation().isEngaged();
    }

    @Test
    void scaleDownFromTwentyToTwoExpiresTheEighteen() throws Exception {
        List<String> ids = registerFleet(20);
        heartbeat(ids.subList(0, 2));
        long start = System.nanoTime();
        while (listed() > 2 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
            assertThat(engaged()).as("self-preservation during a scale-down").isFalse();
            Thread.sleep(50);
        }
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(listed()).isEqualTo(2);
        // TTL (2 s) plus a sweep, well inside TTL + 5 s
        assertThat(tookMillis).isLessThan(2_000 + 5_000);
        assertThat(engaged()).isFalse();
    }

    @Test
    void everyHeartbeatStoppingAtOnceTurnsItOnAndNothingExpires() throws Exception {
        List<String> ids = registerFleet(10);
        heartbeat(ids);
        Thread.sleep(600);
        beats.shutdownNow(); // the registry "loses its network": nobody's heartbeat arrives
        Thread.sleep(3_500); // beyond the 2 s TTL
        assertThat(engaged()).isTrue();
        assertThat(listed()).isEqualTo(10);

        heartbeat(ids); // the network is back
        long start = System.nanoTime();
        while (engaged() && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5)) {
            Thread.sleep(20);
        }
        // cleared within two heartbeat intervals (2 x 500 ms)
        assertThat(engaged()).isFalse();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_000);
        Thread.sleep(2_500);
        assertThat(listed()).isEqualTo(10);
    }
}
