package dev.wizmesh.grpc.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wizmesh.discovery.catalog.InstanceSource;
import dev.wizmesh.platform.PlatformBundle;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDataSize;
import io.dropwizard.validation.MinDuration;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/**
 * The {@code grpcClient:} block of a service that calls others over gRPC.
 *
 * <pre>
 * grpcClient:
 *   defaultDeadline: 5s            # for calls that set none and inherit none
 *   loadBalancingPolicy: round_robin   # or pick_first
 *   keepAliveTime: 30s             # ping an idle connection this often (servers permit 20s)
 *   keepAliveTimeout: 10s          # ...and drop it when the ping is not answered in this time
 *   idleTimeout: 30m               # release connections of a channel unused this long
 *   maxInboundMessageSize: 4MiB
 *   shutdownTimeout: 5s            # on stop: wait this long for calls in flight
 * </pre>
 *
 * {@link #build(Environment, PlatformBundle, InstanceSource)} gives the app's {@link GrpcChannels}.
 */
public class GrpcClientFactory {
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    public Duration defaultDeadline = Duration.seconds(5);

    @NotEmpty
    @JsonProperty
    public String loadBalancingPolicy = "round_robin";

    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.SECONDS)
    @JsonProperty
    public Duration keepAliveTime = Duration.seconds(30);

    @NotNull
    @JsonProperty
    public Duration keepAliveTimeout = Duration.seconds(10);

    @NotNull
    @JsonProperty
    public Duration idleTimeout = Duration.minutes(30);

    @NotNull
    @MinDataSize(1024)
    @JsonProperty
    public DataSize maxInboundMessageSize = DataSize.mebibytes(4);

    @NotNull
    @JsonProperty
    public Duration shutdownTimeout = Duration.seconds(5);

    /** The app's channels: traced with its OpenTelemetry, resolved through its discovery, closed when it stops. */
    public GrpcChannels build(Environment environment, PlatformBundle<?> platform, InstanceSource instances) {
        GrpcChannels channels = build(platform.tracing().openTelemetry(), instances);
        environment.lifecycle().manage(channels);
        return channels;
    }

    /** Without Dropwizard (tests, tools): the caller closes the channels. */
    public GrpcChannels build(OpenTelemetry openTelemetry, InstanceSource instances) {
        return new GrpcChannels(this, openTelemetry, instances);
    }
}
