package dev.wizmesh.persistence;

import io.dropwizard.core.Configuration;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import net.sourceforge.argparse4j.inf.Subparsers;
import org.flywaydb.core.api.MigrationInfo;

/**
 * {@code java -jar user-svc.jar db migrate config/user-svc.yml} applies the pending migrations
 * (provisioning first when the YAML says so) and exits; {@code db info} lists them with their
 * state. For deployments that migrate as a separate step ({@code migrateOnStart: false}).
 */
public final class DbCommand<T extends Configuration & DatabaseConfiguration> extends ConfiguredCommand<T> {
    private static final String SUBCOMMAND = "subcommand";

    private final Class<T> configurationClass;

    public DbCommand(Class<T> configurationClass) {
        super("db", "Database migrations: db migrate | db info");
        this.configurationClass = configurationClass;
    }

    @Override
    protected Class<T> getConfigurationClass() {
        return configurationClass;
    }

    @Override
    public void configure(Subparser subparser) {
        Subparsers subcommands = subparser.addSubparsers().dest(SUBCOMMAND);
        super.configure(subcommands.addParser("migrate").help("apply the pending migrations, then exit"));
        super.configure(subcommands.addParser("info").help("list the migrations and their state"));
    }

    @Override
    protected void run(Bootstrap<T> bootstrap, Namespace namespace, T configuration) {
        DatabaseFactory database = configuration.getDatabase();
        if ("info".equals(namespace.getString(SUBCOMMAND))) {
            Migrations migrations = database.migrations();
            print("service", migrations.flyway().info().all());
            database.getModuleMigrations().forEach((module, location) ->
                    print("module " + module, migrations.moduleFlyway(module, location).info().all()));
            return;
        }
        database.provisioner().ifPresent(DatabaseProvisioner::provision);
        int applied = database.migrations().migrate();
        System.out.println("Applied " + applied + " migration(s) to " + database.getUrl());
    }

    private static void print(String owner, MigrationInfo[] all) {
        System.out.println(owner + ":");
        for (MigrationInfo info : all) {
            System.out.printf("  %-8s %-40s %s%n", info.getVersion() == null ? "R" : info.getVersion(),
                    info.getDescription(), info.getState().getDisplayName());
        }
    }
}
