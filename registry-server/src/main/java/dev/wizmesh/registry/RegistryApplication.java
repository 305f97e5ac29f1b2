package dev.wizmesh.registry;

import dev.wizmesh.platform.PlatformBundle;
import dev.wizmesh.platform.ServiceConfiguration;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;

/**
 * The service registry: instances register with heartbeat leases and clients watch for changes.
 */
public class RegistryApplication extends Application<ServiceConfiguration> {
    private final PlatformBundle<ServiceConfiguration> platform = new PlatformBundle<>();

    public static void main(String[] args) throws Exception {
        new RegistryApplication().run(args);
    }

    @Override
    public String getName() {
        return "registry-server";
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
