package dev.wizmesh.platform;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wizmesh.platform.tracing.TracingFactory;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * The configuration every wizmesh service shares: Dropwizard's own blocks ({@code server},
 * {@code logging}, {@code metrics}) plus ours. A service's configuration extends this and adds
 * its own factories.
 */
public class ServiceConfiguration extends Configuration {
    @Valid
    @NotNull
    private TracingFactory tracing = new TracingFactory();

    @JsonProperty("tracing")
    public TracingFactory getTracing() {
        return tracing;
    }

    @JsonProperty("tracing")
    public void setTracing(TracingFactory tracing) {
        this.tracing = tracing;
    }
}
