package dev.wizmesh.gateway;

import dev.wizmesh.platform.PlatformBundle;
import dev.wizmesh.discovery.DiscoveredServiceConfiguration;
import dev.wizmesh.discovery.Discovery;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;

/**
 * The API gateway: the one front door, proxying to services found in the registry.
 */
public class GatewayApplication extends Application<DiscoveredServiceConfiguration> {
    private final PlatformBundle<DiscoveredServiceConfiguration> platform = new PlatformBundle<>();
    private Discovery discovery;

    public static void main(String[] args) throws Exception {
        new GatewayApplication().run(args);
    }

    /** Where this app finds other services (and its own registration), for tests. */
    public Discovery discovery() {
        return discovery;
    }

    @Override
    public String getName() {
        return "gateway";
    }

    @Override
    public void initialize(Bootstrap<DiscoveredServiceConfiguration> bootstrap) {
        bootstrap.addBundle(platform);
    }

    @Override
    public void run(DiscoveredServiceConfiguration configuration, Environment environment) {
        discovery = configuration.getDiscovery().build(environment, platform);
        // the service's resources and dependencies are wired here as its issues land
    }
}
