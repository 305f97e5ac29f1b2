package dev.wizmesh.order;

import dev.wizmesh.testing.AmqpExtension;
import dev.wizmesh.testing.PostgresExtension;
import dev.wizmesh.testing.StandaloneAppContract;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** order-svc as a real process from its jar and config/order-svc.yml, on a real PostgreSQL and the test broker. */
class OrderSvcProcessIT extends StandaloneAppContract {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    OrderSvcProcessIT() {
        super("order-svc", "ORDER_SVC");
    }

    @Override
    protected Map<String, String> extraEnvironment() {
        Map<String, String> env = new HashMap<>(
                PostgresExtension.sharedServer().serviceEnvironment(POSTGRES.database().databaseName(), "ORDER_SVC_DB_NAME"));
        env.put("AMQP_URI", AmqpExtension.sharedBroker().uri().toString()); // every health check can pass
        return env;
    }
}
