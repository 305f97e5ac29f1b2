package dev.wizmesh.product;

import dev.wizmesh.testing.PostgresDatabase;
import dev.wizmesh.testing.PostgresExtension;
import dev.wizmesh.testing.StandaloneAppContract;
import java.net.URI;
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
        PostgresDatabase db = POSTGRES.database();
        URI server = URI.create(db.urlWithoutCredentials().substring("jdbc:".length()));
        return Map.of(
                "DB_HOST", server.getHost(),
                "DB_PORT", Integer.toString(server.getPort()),
                "PRODUCT_SVC_DB_NAME", db.databaseName(),
                "DB_OWNER_USER", db.username(),
                "DB_OWNER_PASSWORD", db.password(),
                // any free port: the default 9120 may be taken by a running product-svc
                "PRODUCT_SVC_GRPC_PORT", "0");
    }
}
