package dev.wizmesh.product;

import dev.wizmesh.platform.PlatformBundle;
import dev.wizmesh.discovery.DiscoveredServiceConfiguration;
import dev.wizmesh.discovery.Discovery;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;

/**
 * product-svc: the product catalogue and stock.
 */
public class ProductApplication extends Application<DiscoveredServiceConfiguration> {
    private final PlatformBundle<DiscoveredServiceConfiguration> platform = new PlatformBundle<>();
    private Discovery discovery;

    public static void main(String[] args) throws Exception {
        new ProductApplication().run(args);
    }

    /** Where this app finds other services (and its own registration), for tests. */
    public Discovery discovery() {
        return discovery;
    }

    @Override
    public String getName() {
        return "product-svc";
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
