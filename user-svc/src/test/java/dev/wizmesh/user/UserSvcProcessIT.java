package dev.wizmesh.user;

import dev.wizmesh.testing.PostgresExtension;
import dev.wizmesh.testing.StandaloneAppContract;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** user-svc as a real process from its jar and config/user-svc.yml, on a real PostgreSQL. */
class UserSvcProcessIT extends StandaloneAppContract {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    UserSvcProcessIT() {
        super("user-svc", "USER_SVC");
    }

    @org.junit.jupiter.api.Test
    void dbMigrateAppliesTheMigrationsAndExits() throws Exception {
        java.util.Map<String, String> env = new java.util.HashMap<>(extraEnvironment());
        env.put("USER_SVC_DB_NAME", dev.wizmesh.testing.UniqueNames.next());
        try {
            var run = dev.wizmesh.testing.AppProcess.builder().jar(java.nio.file.Path.of("target", "user-svc.jar"))
                    .command("db").args("migrate").config(java.nio.file.Path.of("..", "config", "user-svc.yml")).env(env)
                    .logFile(java.nio.file.Path.of("target", "db-migrate.log")).build().run(java.time.Duration.ofSeconds(60));
            org.assertj.core.api.Assertions.assertThat(run.exitCode()).as(run.output()).isZero();
            org.assertj.core.api.Assertions.assertThat(run.output()).contains("Applied 6 migration(s)"); // V1-V3, the fence and the inbox's V1-V2
            var info = dev.wizmesh.testing.AppProcess.builder().jar(java.nio.file.Path.of("target", "user-svc.jar"))
                    .command("db").args("info").config(java.nio.file.Path.of("..", "config", "user-svc.yml")).env(env)
                    .logFile(java.nio.file.Path.of("target", "db-info.log")).build().run(java.time.Duration.ofSeconds(60));
            org.assertj.core.api.Assertions.assertThat(info.output()).contains("tenants users wallets").contains("Success");
        } finally {
            PostgresExtension.sharedServer().dropDatabase(env.get("USER_SVC_DB_NAME"));
        }
    }

    @Override
    protected Map<String, String> extraEnvironment() {
        Map<String, String> env = new java.util.HashMap<>(PostgresExtension.sharedServer()
                .serviceEnvironment(POSTGRES.database().databaseName(), "USER_SVC_DB_NAME"));
        env.putAll(Map.of(
                "JWT_SIGNING_KEY_FILE", "target/process-it-jwt.pem",
                "PASSWORD_HASH_COST", "4",
                "USER_SVC_GRPC_PORT", Integer.toString(dev.wizmesh.testing.FreePorts.next()),
                // every health check can pass
                "AMQP_URI", dev.wizmesh.testing.AmqpExtension.sharedBroker().uri().toString()));
        return env;
    }
}
