package dev.wizmesh.cron.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wizmesh.discovery.catalog.InstanceSource;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotNull;

/**
 * The {@code jobCalls:} block: how job types call other services (found through the registry).
 * A call longer than {@code timeout} fails the attempt, so a hung service cannot hold a worker.
 */
public class JobCallsFactory {
    @NotNull
    private Duration connectTimeout = Duration.seconds(2);

    @NotNull
    private Duration timeout = Duration.seconds(30);

    public ServiceClient build(InstanceSource instances) {
        return new ServiceClient(instances, java.time.Duration.ofMillis(connectTimeout.toMilliseconds()),
                java.time.Duration.ofMillis(timeout.toMilliseconds()));
    }

    @JsonProperty
    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    @JsonProperty
    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    @JsonProperty
    public Duration getTimeout() {
        return timeout;
    }

    @JsonProperty
    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }
}
