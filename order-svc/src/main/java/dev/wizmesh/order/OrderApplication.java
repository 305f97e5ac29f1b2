package dev.wizmesh.order;

import dev.wizmesh.discovery.Discovery;
import dev.wizmesh.grpc.client.GrpcChannels;
import dev.wizmesh.order.api.OrderResource;
import dev.wizmesh.order.catalog.ProductCatalogClient;
import dev.wizmesh.order.core.OrderBook;
import dev.wizmesh.order.core.OrderPlacement;
import dev.wizmesh.persistence.Database;
import dev.wizmesh.persistence.DbCommand;
import dev.wizmesh.platform.PlatformBundle;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;

/**
 * order-svc: orders, priced by product-svc over gRPC. Turning a PENDING order into CONFIRMED or
 * CANCELLED across services is the transaction coordinators' job.
 */
public class OrderApplication extends Application<OrderConfiguration> {
    private final PlatformBundle<OrderConfiguration> platform = new PlatformBundle<>();
    private Discovery discovery;
    private Database database;

    public static void main(String[] args) throws Exception {
        new OrderApplication().run(args);
    }

    /** Where this app finds other services (and its own registration), for tests. */
    public Discovery discovery() {
        return discovery;
    }

    /** The app's database, for tests that look under the API. */
    public Database database() {
        return database;
    }

    @Override
    public String getName() {
        return "order-svc";
    }

    @Override
    public void initialize(Bootstrap<OrderConfiguration> bootstrap) {
        bootstrap.addBundle(platform);
        bootstrap.addCommand(new DbCommand<>(OrderConfiguration.class));
    }

    @Override
    public void run(OrderConfiguration configuration, Environment environment) {
        discovery = configuration.getDiscovery().build(environment, platform);
        database = configuration.getDatabase().build(environment, platform, "orders");
        GrpcChannels channels = configuration.getGrpcClient().build(environment, platform, discovery.instances());
        ProductCatalogClient catalog = new ProductCatalogClient(channels.channel(ProductCatalogClient.SERVICE));

        environment.jersey().register(new OrderResource(new OrderPlacement(database, catalog), new OrderBook(database)));
    }
}
