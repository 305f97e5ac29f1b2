package dev.wizmesh.cron;

import dev.wizmesh.testing.PostgresExtension;
import dev.wizmesh.testing.RedisExtension;
import dev.wizmesh.testing.StandaloneAppContract;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** cron-svc as a real process from its jar and config/cron-svc.yml, on a real PostgreSQL and Redis. */
class CronSvcProcessIT extends StandaloneAppContract {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    CronSvcProcessIT() {
        super("cron-svc", "CRON_SVC");
    }

    @Override
    protected Map<String, String> extraEnvironment() {
        Map<String, String> env = new HashMap<>(
                PostgresExtension.sharedServer().serviceEnvironment(POSTGRES.database().databaseName(), "CRON_SVC_DB_NAME"));
        env.put("REDIS_URL", RedisExtension.sharedServer().uri().toString()); // every health check can pass
        return env;
    }
}
