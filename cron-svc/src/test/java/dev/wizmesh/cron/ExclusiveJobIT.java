package dev.wizmesh.cron;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wizmesh.lock.HeldLock;
import dev.wizmesh.lock.RedisLockFactory;
import dev.wizmesh.lock.RedisLocks;
import dev.wizmesh.testing.PostgresExtension;
import dev.wizmesh.testing.RedisExtension;
import dev.wizmesh.testing.ServiceApi;
import dev.wizmesh.testing.ServiceApi.Caller;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A job created with {@code "exclusive": "REDIS"} holds a Redis lock ({@code shared/lock}) while it
 * runs, against a real Redis: the run records the lock's fencing token, and while anyone else holds
 * the lock the run fails (and is recorded so) instead of overlapping it.
 */
class ExclusiveJobIT {
    static final EchoService ECHO = new EchoService();
    static final String NAMESPACE = "cron-it-" + UUID.randomUUID().toString().substring(0, 8) + ":";

    @RegisterExtension
    @Order(1)
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @RegisterExtension
    @Order(2)
    static final DropwizardAppExtension<CronConfiguration> APP = new DropwizardAppExtension<>(
            CronApplication.class, ResourceHelpers.resourceFilePath("cron-test.yml"),
            ConfigOverride.config("database.url", () -> POSTGRES.database().urlWithoutCredentials()),
            ConfigOverride.config("database.owner.user", () -> POSTGRES.database().username()),
            ConfigOverride.config("database.owner.password", () -> POSTGRES.database().password()),
            ConfigOverride.config("discovery.static.echo-svc", () -> "127.0.0.1:" + ECHO.port()),
            ConfigOverride.config("redisEnabled", "true"),
            ConfigOverride.config("redis.uri", () -> RedisExtension.sharedServer().uri().toString()),
            ConfigOverride.config("redis.namespace", NAMESPACE));

    @AfterAll
    static void stopEcho() {
        ECHO.close();
    }

    @Test
    void anExclusiveRunHoldsTheLockAndFailsWhileSomeoneElseHoldsIt() throws Exception {
        ServiceApi api = new ServiceApi(APP.getLocalPort());
        UUID tenant = UUID.randomUUID();
        Caller admin = new Caller(tenant.toString(), UUID.randomUUID().toString(), "admin");
        ServiceApi.Reply created = api.post("/api/v1/jobs", admin, Map.of("name", "exclusive", "type", "http-call",
                "cron", JobApiIT.NEVER, "exclusive", "REDIS", "params", Map.of("service", "echo-svc", "path", "/ok")));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        assertThat(created.body().path("exclusive").asText()).isEqualTo("REDIS");

        api.post("/api/v1/jobs/exclusive/trigger", admin, null);
        JsonNode first = awaitRun(api, admin, 1);
        assertThat(first.path("status").asText()).as(first.toString()).isEqualTo("SUCCEEDED");
        assertThat(first.path("result").asText()).contains("lock cron:" + tenant + ":exclusive").containsPattern("fencing token \\d+");

        // someone outside cron-svc takes the same lock: the next run must not overlap it
        RedisLockFactory factory = new RedisLockFactory();
        factory.setUri(URI.create(RedisExtension.sharedServer().uri().toString()));
        factory.setNamespace(NAMESPACE);
        try (RedisLocks locks = factory.build();
                HeldLock held = locks.tryAcquire("cron:" + tenant + ":exclusive", Duration.ofSeconds(30)).orElseThrow()) {
            api.post("/api/v1/jobs/exclusive/trigger", admin, null);
            JsonNode blocked = awaitRun(api, admin, 2);
            assertThat(blocked.path("status").asText()).isEqualTo("FAILED");
            assertThat(blocked.path("error").asText()).contains("is held by another owner");
            assertThat(held.isLost()).isFalse();
        }
        assertThat(ECHO.callsFor("exclusive")).hasSize(1);
    }

    /** The newest run once there are {@code count} finished runs. */
    private static JsonNode awaitRun(ServiceApi api, Caller admin, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            JsonNode runs = api.get("/api/v1/jobs/exclusive/runs", admin).body().path("runs");
            long finished = 0;
            for (JsonNode r : runs) {
                if (!"RUNNING".equals(r.path("status").asText())) {
                    finished++;
                }
            }
            if (finished >= count) {
                return runs.get(0);
            }
            assertThat(System.nanoTime()).as("run " + count).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
