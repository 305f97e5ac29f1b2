package dev.wizmesh.order;

import dev.wizmesh.testing.PostgresDatabase;
import dev.wizmesh.testing.PostgresExtension;
import dev.wizmesh.testing.PostgresServer;
import dev.wizmesh.testing.StandaloneAppContract;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** order-svc as a real process from its jar and config/order-svc.yml, on a real PostgreSQL. */
class OrderSvcProcessIT extends StandaloneAppContract {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    OrderSvcProcessIT() {
        super("order-svc", "ORDER_SVC");
    }

    @Override
    protected Map<String, String> extraEnvironment() {
        PostgresDatabase db = POSTGRES.database();
        PostgresServer server = PostgresExtension.sharedServer();
        return Map.of(
                "DB_HOST", server.host(),
                "DB_PORT", Integer.toString(server.port()),
                "ORDER_SVC_DB_NAME", db.databaseName(),
                "DB_OWNER_USER", db.username(),
                "DB_OWNER_PASSWORD", db.password());
    }
}
