package dev.wizmesh.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wizmesh.gateway.GatewayApplication;
import dev.wizmesh.gateway.GatewayConfiguration;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway's resilience through its real pipeline: a failing service opens its breaker (503
 * CIRCUIT_OPEN without calling it) and recovers through half-open; an idempotent request is
 * retried on another instance, a POST that arrived is not; a rate-limited route answers 429.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class GatewayResilienceIT {
    static final ScriptedUpstream SICK = upstream("sick");
    static final ScriptedUpstream BAD = upstream("bad");
    static final ScriptedUpstream GOOD = upstream("good");
    static final ScriptedUpstream LIMITED = upstream("limited");

    static final DropwizardAppExtension<GatewayConfiguration> APP =
            new DropwizardAppExtension<>(GatewayApplication.class, config().toString());

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    static ScriptedUpstream upstream(String name) {
        try {
            return new ScriptedUpstream(name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path config() {
        String yaml = """
                server:
                  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]
                  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]
                  requestLog: {appenders: []}
                logging: {level: WARN}
                tracing: {serviceName: gateway, exporter: none}
                discovery:
                  mode: static
                  static:
                    sick-svc: ["%s"]
                    pair-svc: ["%s", "%s"]
                    limited-svc: ["%s"]
                routes:
                  - {id: sick, path: /sick/**, service: sick-svc, auth: public}
                  - {id: pair, path: /pair/**, service: pair-svc, auth: public, retry: idempotent}
                  - {id: limited, path: /limited/**, service: limited-svc, auth: public, rateLimit: tiny}
                proxy:
                  loadBalancer: {type: round_robin}
                  outlierDetection: {consecutiveFailures: 1000}
                auth:
                  jwks: {url: "http://127.0.0.1:1/jwks.json"}
                rateLimits:
                  defaultPolicy: none
                  policies:
                    tiny: {capacity: 3, refillPerSecond: 0.01, keyBy: [ip]}
                circuitBreakers:
                  services:
                    sick-svc: {slidingWindowSize: 4, minimumNumberOfCalls: 4, waitInOpenState: 300ms,
                               permittedCallsInHalfOpenState: 1}
                retries:
                  budget: {ratio: 1.0, minRetriesPerSecond: 100}
                  policies:
                    idempotent: {maxAttempts: 2, backoffBase: 1ms, backoffMax: 5ms}
                """.formatted(SICK.address(), BAD.address(), GOOD.address(), LIMITED.address());
        try {
            Path file = Files.createTempFile("gateway-resilience", ".yml");
            Files.writeString(file, yaml);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        SICK.close();
        BAD.close();
        GOOD.close();
        LIMITED.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String breakerState() throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getAdminPort()
                + "/circuit-breakers")).build(), HttpResponse.BodyHandlers.ofString()).body();
        return json.readTree(body).path("circuitBreakers").path("sick-svc").asText();
    }

    @Test
    void aFailingServiceOpensItsBreakerAndRecoversThroughHalfOpen() throws Exception {
        SICK.status.set(500);
        for (int i = 0; i < 4; i++) {
            assertThat(send("GET", "/sick/x").statusCode()).isEqualTo(500);
        }
        int calls = SICK.gets.get();
        HttpResponse<String> open = send("GET", "/sick/x");
        assertThat(open.statusCode()).isEqualTo(503);
        assertThat(open.body()).contains("CIRCUIT_OPEN");
        assertThat(SICK.gets.get()).as("an open breaker does not call").isEqualTo(calls);
        assertThat(breakerState()).isEqualTo("OPEN");

        SICK.status.set(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!breakerState().equals("HALF_OPEN") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(send("GET", "/sick/x").statusCode()).as("the trial call").isEqualTo(200);
        assertThat(breakerState()).isEqualTo("CLOSED");
        assertThat(send("GET", "/sick/x").statusCode()).isEqualTo(200);
    }

    @Test
    void anIdempotentRequestIsRetriedOnAnotherInstanceAndAnArrivedPostIsNot() throws Exception {
        BAD.status.set(503);
        GOOD.status.set(200);
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = send("GET", "/pair/" + i);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("good 200");
        }
        assertThat(BAD.gets.get()).as("round robin sent some first attempts to the bad instance").isPositive();

        int served503 = 0;
        for (int i = 0; i < 10; i++) {
            if (send("POST", "/pair/" + i).statusCode() == 503) {
                served503++;
            }
        }
        assertThat(served503).as("a POST that reached the bad instance is answered, not retried").isPositive();
        assertThat(BAD.posts.get() + GOOD.posts.get()).as("each POST sent once").isEqualTo(10);
    }

    @Test
    void aRateLimitedRouteAnswers429WithItsHeaders() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> ok = send("GET", "/limited/x");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("X-RateLimit-Limit")).contains("3");
        }
        HttpResponse<String> refused = send("GET", "/limited/x");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("RATE_LIMITED");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.headers().firstValue("X-RateLimit-Remaining")).contains("0");
        assertThat(LIMITED.gets.get()).isEqualTo(3);
    }
}
