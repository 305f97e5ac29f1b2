package dev.wizmesh.product;

import dev.wizmesh.testing.PostgresExtension;
import dev.wizmesh.testing.StandaloneAppContract;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * product-svc as a real process from its jar and config/product-svc.yml, against this class's
 * test database: the jar provisions the application role, migrates, and serves.
 */
class ProductSvcProcessIT extends StandaloneAppContract {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    ProductSvcProcessIT() {
        super("product-svc", "PRODUCT_SVC");
    }

    @Override
    protected Map<String, String> extraEnvironment() {
        Map<String, String> env = new java.util.HashMap<>(PostgresExtension.sharedServer()
                .serviceEnvironment(POSTGRES.database().databaseName(), "PRODUCT_SVC_DB_NAME"));
        // any free port: the default 9120 may be taken by a running product-svc
        env.put("PRODUCT_SVC_GRPC_PORT", "0");
        env.put("AMQP_URI", dev.wizmesh.testing.AmqpExtension.sharedBroker().uri().toString()); // every health check can pass
        return env;
    }
}
