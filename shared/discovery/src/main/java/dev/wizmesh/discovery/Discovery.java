package dev.wizmesh.discovery;

import dev.wizmesh.discovery.catalog.InstanceSource;
import dev.wizmesh.discovery.registry.RegistryClient;
import java.util.Optional;

/** What an app gets from discovery: where to find others, and (if it registers) its own registration. */
public record Discovery(InstanceSource instances, RegistryClient registration) {
    public Optional<RegistryClient> registrationClient() {
        return Optional.ofNullable(registration);
    }
}
