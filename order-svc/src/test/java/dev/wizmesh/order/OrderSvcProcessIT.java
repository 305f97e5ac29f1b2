package dev.wizmesh.order;

import dev.wizmesh.testing.PostgresExtension;
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
        return PostgresExtension.sharedServer().serviceEnvironment(POSTGRES.database().databaseName(), "ORDER_SVC_DB_NAME");
    }
}
