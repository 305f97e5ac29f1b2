package dev.wizmesh.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wizmesh.platform.ServiceConfiguration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** registry-server.yml: the platform's blocks plus {@code registry:}. */
public class RegistryConfiguration extends ServiceConfiguration {
    @Valid
    @NotNull
    private RegistryFactory registry = new RegistryFactory();

    @JsonProperty("registry")
    public RegistryFactory getRegistry() {
        return registry;
    }

    @JsonProperty("registry")
    public void setRegistry(RegistryFactory registry) {
        this.registry = registry;
    }
}
