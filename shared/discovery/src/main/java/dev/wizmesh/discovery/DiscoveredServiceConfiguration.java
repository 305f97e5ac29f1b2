package dev.wizmesh.discovery;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wizmesh.platform.ServiceConfiguration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** The configuration of a service that registers with the registry and finds others through it. */
public class DiscoveredServiceConfiguration extends ServiceConfiguration {
    @Valid
    @NotNull
    private DiscoveryFactory discovery = new DiscoveryFactory();

    @JsonProperty("discovery")
    public DiscoveryFactory getDiscovery() {
        return discovery;
    }

    @JsonProperty("discovery")
    public void setDiscovery(DiscoveryFactory discovery) {
        this.discovery = discovery;
    }
}
