package dev.wizmesh.cron;

import dev.wizmesh.platform.PlatformBundle;
import dev.wizmesh.platform.ServiceConfiguration;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;

/**
 * cron-svc: clustered Quartz jobs that fire once per schedule across all nodes.
 */
public class CronApplication extends Application<ServiceConfiguration> {
    private final PlatformBundle<ServiceConfiguration> platform = new PlatformBundle<>();

    public static void main(String[] args) throws Exception {
        new CronApplication().run(args);
    }

    @Override
    public String getName() {
        return "cron-svc";
    }

    @Override
    public void initialize(Bootstrap<ServiceConfiguration> bootstrap) {
        bootstrap.addBundle(platform);
    }

    @Override
    public void run(ServiceConfiguration configuration, Environment environment) {
        // the service's resources and dependencies are wired here as its issues land
    }
}
