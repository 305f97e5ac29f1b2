package dev.wizmesh.registry;

import dev.wizmesh.testing.StandaloneAppContract;

/** registry-server as a real process from its jar and config/registry-server.yml. */
class RegistryServerProcessIT extends StandaloneAppContract {
    RegistryServerProcessIT() {
        super("registry-server", "REGISTRY");
    }
}
