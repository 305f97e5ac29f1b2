package dev.wizmesh.product;

import dev.wizmesh.discovery.Discovery;
import dev.wizmesh.grpc.server.GrpcServer;
import dev.wizmesh.messaging.connection.AmqpConnection;
import dev.wizmesh.messaging.consumer.QueueConsumer;
import dev.wizmesh.messaging.deadletter.DeadLetterTask;
import dev.wizmesh.messaging.deadletter.DeadLetters;
import dev.wizmesh.messaging.retention.MessageRetention;
import dev.wizmesh.messaging.retention.OutboxCleanupTask;
import dev.wizmesh.persistence.Database;
import dev.wizmesh.persistence.DbCommand;
import dev.wizmesh.platform.PlatformBundle;
import dev.wizmesh.product.api.ProductResource;
import dev.wizmesh.product.core.ProductCatalog;
import dev.wizmesh.product.core.StockLevels;
import dev.wizmesh.product.core.StockReservationsFactory;
import dev.wizmesh.product.events.ProductSales;
import dev.wizmesh.product.grpc.CatalogGrpcService;
import dev.wizmesh.product.grpc.InventoryGrpcService;
import dev.wizmesh.product.grpc.StockReservationGrpcService;
import dev.wizmesh.transactions.fence.FenceSweeper;
import dev.wizmesh.transactions.fence.FenceSweeperMetrics;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * product-svc: the product catalogue and stock of each tenant, over HTTP for callers coming
 * through the gateway and over gRPC for the other services. It counts each product's units sold from
 * order-svc's {@code order.confirmed} events (queue {@code product-svc.order-events}).
 */
public class ProductApplication extends Application<ProductConfiguration> {
    private final PlatformBundle<ProductConfiguration> platform = new PlatformBundle<>();
    private Discovery discovery;
    private Database database;
    private GrpcServer grpcServer;
    private FenceSweeper fenceSweeper;
    private AmqpConnection amqp;
    private QueueConsumer orderEvents;

    public static void main(String[] args) throws Exception {
        new ProductApplication().run(args);
    }

    /** Where this app finds other services (and its own registration), for tests. */
    public Discovery discovery() {
        return discovery;
    }

    /** The app's database (application role, tenant transactions), for tests. */
    public Database database() {
        return database;
    }

    /** The app's gRPC server (CatalogService, InventoryService, StockReservationService), for tests. */
    public GrpcServer grpcServer() {
        return grpcServer;
    }

    /** The broker connection, for tests. */
    public AmqpConnection amqp() {
        return amqp;
    }

    /** The consumer of order events (sales counters), for tests. */
    public QueueConsumer orderEvents() {
        return orderEvents;
    }

    /** The sweeper that releases expired TCC reservations, for tests. */
    public FenceSweeper fenceSweeper() {
        return fenceSweeper;
    }

    @Override
    public String getName() {
        return "product-svc";
    }

    @Override
    public void initialize(Bootstrap<ProductConfiguration> bootstrap) {
        bootstrap.addBundle(platform);
        bootstrap.addCommand(new DbCommand<>(ProductConfiguration.class));
    }

    @Override
    public void run(ProductConfiguration configuration, Environment environment) {
        // the database first: a schema that cannot be migrated must stop the start before the
        // service registers itself as able to serve
        database = configuration.getDatabase().build(environment, platform, "products");
        ProductCatalog catalog = new ProductCatalog(database);
        StockLevels stock = new StockLevels(database);
        environment.jersey().register(new ProductResource(catalog, stock));

        // the stock side of orders placed across services (gRPC only): reservations through the
        // transaction fence, and the sweeper that releases a TCC reservation nobody confirmed in time
        StockReservationsFactory.Participant participant = configuration.getReservations()
                .build(database, Clock.systemUTC());
        fenceSweeper = participant.sweeper();
        environment.lifecycle().manage(fenceSweeper);
        FenceSweeperMetrics.register(platform.metrics().registry(), fenceSweeper);

        // order.confirmed → products.sold, idempotently (inbox); connects in the background, the app serves without it
        amqp = configuration.getAmqp().build(environment, platform, getName());
        orderEvents = new QueueConsumer(amqp, database, ProductSales.QUEUE, List.of(ProductSales.BINDING), new ProductSales(),
                configuration.getAmqp().consumerSettings(), Clock.systemUTC());
        environment.lifecycle().manage(orderEvents);
        // POST /tasks/dlq-peek and /tasks/dlq-replay on the admin port, for this queue's dead letters only
        DeadLetters deadLetters = new DeadLetters(amqp, configuration.getAmqp().confirmTimeoutDuration());
        environment.admin().addTask(DeadLetterTask.peek(deadLetters, Set.of(ProductSales.QUEUE)));
        environment.admin().addTask(DeadLetterTask.replay(deadLetters, Set.of(ProductSales.QUEUE)));
        // POST /tasks/outbox-cleanup: the inbox's processed_messages past the retention (this app has no outbox);
        environment.admin().addTask(new OutboxCleanupTask(new MessageRetention(database),
                java.util.EnumSet.of(OutboxCleanupTask.Table.INBOX), OutboxCleanupTask.DEFAULT_RETENTION, Clock.systemUTC()));

        grpcServer = configuration.getGrpc().build(environment, platform,
                new CatalogGrpcService(catalog), new InventoryGrpcService(catalog),
                new StockReservationGrpcService(participant.reservations()));
        // registered with the gRPC port the server actually bound (port 0 in tests)
        discovery = configuration.getDiscovery().build(environment, platform, grpcServer::port);
    }
}
