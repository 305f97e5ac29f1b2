package dev.wizmesh.gateway;

import dev.wizmesh.platform.PlatformBundle;
import dev.wizmesh.platform.ServiceConfiguration;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;

/**
 * The API gateway: the one front door, proxying to services found in the registry.
 */
public class GatewayApplication extends Application<ServiceConfiguration> {
    private final PlatformBundle<ServiceConfiguration> platform = new PlatformBundle<>();

    public static void main(String[] args) throws Exception {
        new GatewayApplication().run(args);
    }

    @Override
    public String getName() {
        return "gateway";
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
