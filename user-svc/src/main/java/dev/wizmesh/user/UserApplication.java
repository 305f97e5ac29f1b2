package dev.wizmesh.user;

import dev.wizmesh.discovery.Discovery;
import dev.wizmesh.grpc.server.GrpcServer;
import dev.wizmesh.persistence.Database;
import dev.wizmesh.persistence.DbCommand;
import dev.wizmesh.platform.PlatformBundle;
import dev.wizmesh.transactions.fence.FenceSweeper;
import dev.wizmesh.transactions.fence.FenceSweeperMetrics;
import dev.wizmesh.user.api.AuthResource;
import dev.wizmesh.user.api.JwksResource;
import dev.wizmesh.user.api.TenantResource;
import dev.wizmesh.user.api.UserResource;
import dev.wizmesh.user.auth.AuthFactory;
import dev.wizmesh.user.core.Authenticator;
import dev.wizmesh.user.core.TenantSignup;
import dev.wizmesh.user.core.UserDirectory;
import dev.wizmesh.user.core.WalletPaymentsFactory;
import dev.wizmesh.user.core.Wallets;
import dev.wizmesh.user.grpc.UserGrpcService;
import dev.wizmesh.user.grpc.WalletPaymentGrpcService;
import dev.wizmesh.messaging.connection.AmqpConnection;
import dev.wizmesh.messaging.consumer.QueueConsumer;
import dev.wizmesh.messaging.deadletter.DeadLetterTask;
import dev.wizmesh.messaging.deadletter.DeadLetters;
import dev.wizmesh.messaging.retention.MessageRetention;
import dev.wizmesh.messaging.retention.OutboxCleanupTask;
import dev.wizmesh.user.core.Notifications;
import dev.wizmesh.user.events.OrderNotifications;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import java.time.Clock;

/**
 * user-svc: tenants, users, authentication (it issues the JWTs the gateway verifies) and wallets, and
 * each user's notification feed, written from order-svc's order events (queue {@code user-svc.order-events}).
 */
public class UserApplication extends Application<UserConfiguration> {
    private final PlatformBundle<UserConfiguration> platform = new PlatformBundle<>();
    private Discovery discovery;
    private Database database;
    private GrpcServer grpcServer;
    private FenceSweeper fenceSweeper;
    private AmqpConnection amqp;

    public static void main(String[] args) throws Exception {
        new UserApplication().run(args);
    }

    /** Where this app finds other services (and its own registration), for tests. */
    public Discovery discovery() {
        return discovery;
    }

    /** The gRPC server, for tests. */
    public GrpcServer grpcServer() {
        return grpcServer;
    }

    /** The sweeper that releases expired wallet holds, for tests. */
    public FenceSweeper fenceSweeper() {
        return fenceSweeper;
    }

    /** The broker connection, for tests. */
    public AmqpConnection amqp() {
        return amqp;
    }

    /** The app's database, for tests that look under the API. */
    public Database database() {
        return database;
    }

    @Override
    public String getName() {
        return "user-svc";
    }

    @Override
    public void initialize(Bootstrap<UserConfiguration> bootstrap) {
        bootstrap.addBundle(platform);
        bootstrap.addCommand(new DbCommand<>(UserConfiguration.class));
    }

    @Override
    public void run(UserConfiguration configuration, Environment environment) {
        database = configuration.getDatabase().build(environment, platform, "users");
        AuthFactory.Auth auth = configuration.getAuth().build(Clock.systemUTC());

        UserDirectory users = new UserDirectory(database, auth.passwords(), configuration.getWalletCurrency());
        Wallets wallets = new Wallets(database);
        // a participant of orders placed across services: the wallet side of the saga and TCC
        WalletPaymentsFactory.Participant payments = configuration.getPayments().build(database, Clock.systemUTC());
        fenceSweeper = payments.sweeper();
        environment.lifecycle().manage(fenceSweeper);
        FenceSweeperMetrics.register(platform.metrics().registry(), fenceSweeper);

        // order events → the buyers' notification feeds, idempotently (inbox); connects in the background, the app
        // serves without the broker
        amqp = configuration.getAmqp().build(environment, platform, getName());
        environment.lifecycle().manage(new QueueConsumer(amqp, database, OrderNotifications.QUEUE, OrderNotifications.BINDINGS,
                new OrderNotifications(), configuration.getAmqp().consumerSettings(), Clock.systemUTC()));
        // POST /tasks/dlq-peek and /tasks/dlq-replay on the admin port, for this queue's dead letters only
        DeadLetters deadLetters = new DeadLetters(amqp, configuration.getAmqp().confirmTimeoutDuration());
        environment.admin().addTask(DeadLetterTask.peek(deadLetters, java.util.Set.of(OrderNotifications.QUEUE)));
        environment.admin().addTask(DeadLetterTask.replay(deadLetters, java.util.Set.of(OrderNotifications.QUEUE)));
        // POST /tasks/outbox-cleanup: the inbox's processed_messages past the retention (this app has no outbox);
        environment.admin().addTask(new OutboxCleanupTask(new MessageRetention(database),
                java.util.EnumSet.of(OutboxCleanupTask.Table.INBOX), OutboxCleanupTask.DEFAULT_RETENTION, Clock.systemUTC()));
        grpcServer = configuration.getGrpc().build(environment, platform,
                new UserGrpcService(users, wallets), new WalletPaymentGrpcService(payments.payments()));
        // registered with the gRPC port the server actually bound (port 0 works)
        discovery = configuration.getDiscovery().build(environment, platform, grpcServer::port);
        environment.jersey().register(new TenantResource(
                new TenantSignup(database, auth.passwords(), configuration.getWalletCurrency(), configuration.isPublicSignup())));
        environment.jersey().register(new AuthResource(
                new Authenticator(database, auth.passwords(), auth.throttle(), auth.tokens())));
        environment.jersey().register(new JwksResource(auth.keys()));
        environment.jersey().register(new UserResource(users, wallets, new Notifications(database)));
    }
}
