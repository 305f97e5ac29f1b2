package dev.wizmesh.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wizmesh.gateway.GatewayApplication;
import dev.wizmesh.gateway.GatewayConfiguration;
import dev.wizmesh.testing.RedisExtension;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two gateways (two apps, one Redis) limit one route together, as one bucket: not each its own.
 */
class TwoGatewaysSharingRedisIT {
    static final com.sun.net.httpserver.HttpServer UPSTREAM = upstream();

    @RegisterExtension
    @Order(1)
    static final RedisExtension REDIS = new RedisExtension();

    static DropwizardAppExtension<GatewayConfiguration> first;
    static DropwizardAppExtension<GatewayConfiguration> second;

    static com.sun.net.httpserver.HttpServer upstream() {
        try {
            com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.createContext("/", exchange -> {
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path config(String keyPrefix) throws IOException {
        String yaml = """
                server:
                  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]
                  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]
                  requestLog: {appenders: []}
                logging: {level: WARN}
                tracing: {serviceName: gateway, exporter: none}
                discovery: {mode: static, static: {echo-svc: ["127.0.0.1:%d"]}}
                routes:
                  - {id: shared, path: /shared/**, service: echo-svc, auth: public, rateLimit: shared}
                auth: {jwks: {url: "http://127.0.0.1:1/jwks.json"}}
                rateLimits:
                  backend: redis
                  gatewayInstances: 1
                  defaultPolicy: none
                  redis: {url: "%s", keyPrefix: "%s"}
                  policies:
                    shared: {capacity: 50, refillPerSecond: 0.01, keyBy: [route]}
                """.formatted(UPSTREAM.getAddress().getPort(), REDIS.server().uri(), keyPrefix);
        Path file = Files.createTempFile("gateway-redis", ".yml");
        Files.writeString(file, yaml);
        file.toFile().deleteOnExit();
        return file;
    }

    @BeforeAll
    static void startTwoGateways() throws Exception {
        String prefix = "wizmesh:test:" + UUID.randomUUID() + ":";
        first = new DropwizardAppExtension<>(GatewayApplication.class, config(prefix).toString());
        second = new DropwizardAppExtension<>(GatewayApplication.class, config(prefix).toString());
        first.before();
        second.before();
    }

    @AfterAll
    static void stop() {
        second.after();
        first.after();
        UPSTREAM.stop(0);
    }

    /**
     * One bucket of 50 (refilled too slowly to matter) behind two gateways: 120 requests spread
     * over both admit exactly 50 in all, where two gateways with buckets of their own would admit
     * 100. (The rate over time, two limiters on one Redis within 5 %, is RedisRateLimiterIT's;
     * here it is the sharing through real gateways, which does not depend on how busy the machine is.)
     */
    @Test
    void togetherTheyAdmitOneBucketNotTwo() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int port = (t % 2 == 0 ? first : second).getLocalPort();
            workers.add(pool.submit(() -> {
                for (int i = 0; i < 30; i++) {
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/shared/x")).build(),
                            HttpResponse.BodyHandlers.discarding());
                    (r.statusCode() == 429 ? refused : admitted).incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        pool.shutdown();
        System.out.printf("two gateways, one Redis bucket of 50: admitted %d, refused %d%n", admitted.get(), refused.get());
        assertThat(refused.get()).isEqualTo(120 - admitted.get());
        // 50, plus at most one token refilled while the test runs (0.01/s)
        assertThat(admitted.get()).isBetween(50, 51);
    }
}
