package dev.wizmesh.order;

import dev.wizmesh.discovery.Discovery;
import dev.wizmesh.grpc.client.GrpcChannels;
import dev.wizmesh.messaging.connection.AmqpConnection;
import dev.wizmesh.messaging.outbox.Outbox;
import dev.wizmesh.messaging.outbox.OutboxRelay;
import dev.wizmesh.messaging.retention.MessageRetention;
import dev.wizmesh.messaging.retention.OutboxCleanupTask;
import dev.wizmesh.order.api.MessageResource;
import dev.wizmesh.order.api.OrderResource;
import dev.wizmesh.order.api.TransactionResource;
import dev.wizmesh.order.catalog.ProductCatalogClient;
import dev.wizmesh.order.core.OrderBook;
import dev.wizmesh.order.core.OrderPlacement;
import dev.wizmesh.order.core.PendingOrderExpiry;
import dev.wizmesh.order.core.SalesReport;
import dev.wizmesh.order.events.OrderEvents;
import dev.wizmesh.order.messages.QueuePublisher;
import dev.wizmesh.order.transaction.StockParticipant;
import dev.wizmesh.order.transaction.TransactionsFactory;
import dev.wizmesh.order.transaction.WalletParticipant;
import dev.wizmesh.persistence.Database;
import dev.wizmesh.persistence.DbCommand;
import dev.wizmesh.platform.PlatformBundle;
import dev.wizmesh.transactions.TransactionCoordinator;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jetty.HttpConnectorFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.EnumSet;

/**
 * order-svc: orders, priced by product-svc over gRPC, and placed by a distributed transaction
 * (saga or TCC, {@code transactions.mode}) that reserves the stock in product-svc and takes the
 * payment in user-svc, coordinated from here and recovered from here after a crash. Every change
 * of an order is announced ({@code order.created}, {@code order.confirmed}, {@code order.cancelled})
 * through the transactional outbox, which the outbox relay publishes to RabbitMQ.
 */
public class OrderApplication extends Application<OrderConfiguration> {
    private final PlatformBundle<OrderConfiguration> platform = new PlatformBundle<>();
    private Discovery discovery;
    private Database database;
    private TransactionCoordinator coordinator;
    private AmqpConnection amqp;
    private OutboxRelay relay;

    public static void main(String[] args) throws Exception {
        new OrderApplication().run(args);
    }

    /** Where this app finds other services (and its own registration), for tests. */
    public Discovery discovery() {
        return discovery;
    }

    /** The transaction coordinator, for tests. */
    public TransactionCoordinator coordinator() {
        return coordinator;
    }

    /** The broker connection, for tests. */
    public AmqpConnection amqp() {
        return amqp;
    }

    /** The outbox relay, for tests. */
    public OutboxRelay relay() {
        return relay;
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

        // the broker: connects in the background (the app starts and serves without it); the relay publishes the
        // outbox's committed events whenever it is up
        amqp = configuration.getAmqp().build(environment, platform, getName());
        relay = new OutboxRelay(database, amqp, configuration.getAmqp().relaySettings(), Clock.systemUTC());
        environment.lifecycle().manage(relay);
        // POST /tasks/outbox-cleanup: the outbox only (order-svc consumes nothing, so it has no inbox)
        environment.admin().addTask(new OutboxCleanupTask(new MessageRetention(database), EnumSet.of(OutboxCleanupTask.Table.OUTBOX),
                OutboxCleanupTask.DEFAULT_RETENTION, Clock.systemUTC()));
        OrderEvents events = new OrderEvents(new Outbox(Clock.systemUTC()));
        QueuePublisher messages = configuration.getMessages().build(amqp, configuration.getAmqp().confirmTimeoutDuration());
        environment.lifecycle().manage(messages);

        TransactionsFactory transactions = configuration.getTransactions();
        StockParticipant stock = new StockParticipant(channels.channel(StockParticipant.SERVICE), transactions.holdDuration());
        WalletParticipant wallet = new WalletParticipant(channels.channel(WalletParticipant.SERVICE), transactions.holdDuration());
        TransactionsFactory.Built placing = transactions.build(environment, platform, database, instanceName(configuration),
                stock, wallet, events);
        coordinator = placing.coordinator();

        environment.jersey().register(new OrderResource(new OrderPlacement(database, catalog, placing, events),
                new OrderBook(database, events), coordinator, new PendingOrderExpiry(database, events, Clock.systemUTC()),
                new SalesReport(database)));
        environment.jersey().register(new MessageResource(messages, environment.getObjectMapper()));
        environment.jersey().register(new TransactionResource(coordinator));
    }

    /**
     * This instance's name in transaction leases: host and HTTP port, the same after a restart
     * (so the restarted process resumes its own transactions at once) and different for every
     * instance on one host. With port 0 (tests) there is no stable name: a random one.
     */
    private static String instanceName(OrderConfiguration configuration) {
        if (configuration.getServerFactory() instanceof DefaultServerFactory server
                && !server.getApplicationConnectors().isEmpty()
                && server.getApplicationConnectors().get(0) instanceof HttpConnectorFactory http && http.getPort() > 0) {
            try {
                return InetAddress.getLocalHost().getHostName() + ":" + http.getPort();
            } catch (UnknownHostException e) {
                return "localhost:" + http.getPort();
            }
        }
        return TransactionsFactory.randomInstance();
    }
}
