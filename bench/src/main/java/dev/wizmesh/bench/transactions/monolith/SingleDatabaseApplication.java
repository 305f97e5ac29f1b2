package dev.wizmesh.bench.transactions.monolith;

import dev.wizmesh.persistence.Database;
import dev.wizmesh.platform.PlatformBundle;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;

/**
 * The reference of the transactions benchmark: the same order placed as wizmesh places it (stock
 * taken, wallet debited with a ledger entry, order and lines stored) but by one application on
 * one database, in one local transaction. It runs on the same platform bundle as the services
 * (request ids, tracing, tenant context, access log, row-level security), so the difference the
 * benchmark shows is what distributing the order costs: the gRPC hops, the transaction log and
 * the participants' own commits.
 */
public class SingleDatabaseApplication extends Application<SingleDatabaseConfiguration> {
    private final PlatformBundle<SingleDatabaseConfiguration> platform = new PlatformBundle<>();

    public static void main(String[] args) throws Exception {
        new SingleDatabaseApplication().run(args);
    }

    @Override
    public String getName() {
        return "single-database-orders";
    }

    @Override
    public void initialize(Bootstrap<SingleDatabaseConfiguration> bootstrap) {
        bootstrap.addBundle(platform);
    }

    @Override
    public void run(SingleDatabaseConfiguration configuration, Environment environment) {
        Database database = configuration.getDatabase().build(environment, platform, "single-database");
        environment.jersey().register(new SingleDatabaseOrderResource(new SingleDatabaseOrders(database)));
    }
}
