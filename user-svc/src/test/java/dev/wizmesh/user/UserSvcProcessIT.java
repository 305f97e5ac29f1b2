package dev.wizmesh.user;

import dev.wizmesh.testing.PostgresDatabase;
import dev.wizmesh.testing.PostgresExtension;
import dev.wizmesh.testing.PostgresServer;
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

    @Override
    protected Map<String, String> extraEnvironment() {
        PostgresDatabase db = POSTGRES.database();
        PostgresServer server = PostgresExtension.sharedServer();
        return Map.of(
                "DB_HOST", server.host(),
                "DB_PORT", Integer.toString(server.port()),
                "USER_SVC_DB_NAME", db.databaseName(),
                "DB_OWNER_USER", db.username(),
                "DB_OWNER_PASSWORD", db.password(),
                "JWT_SIGNING_KEY_FILE", "target/process-it-jwt.pem",
                "PASSWORD_HASH_COST", "4",
                "USER_SVC_GRPC_PORT", Integer.toString(dev.wizmesh.testing.FreePorts.next()));
    }
}
