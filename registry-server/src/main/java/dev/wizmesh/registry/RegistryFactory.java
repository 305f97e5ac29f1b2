package dev.wizmesh.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/**
 * The {@code registry:} block of registry-server.yml: leases, sweeping, sessions, watch,
 * self-preservation and the write token.
 */
public class RegistryFactory {
    /** Lease TTL given to instances that do not ask for their own. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    public Duration leaseTtl = Duration.seconds(30);

    /** How often clients should heartbeat: a third of the TTL, so two may be lost. */
    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    public Duration heartbeatInterval = Duration.seconds(10);

    /** Bounds on the TTL an instance may ask for. */
    @NotNull
    @JsonProperty
    public Duration minLeaseTtl = Duration.seconds(1);

    @NotNull
    @JsonProperty
    public Duration maxLeaseTtl = Duration.minutes(5);

    /** How often lapsed leases are looked for. */
    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    public Duration sweepInterval = Duration.seconds(1);

    /**
     * How long after its session stream breaks an instance is marked DOWN: long enough for a
     * client that merely reconnects (it retries at once), short enough that a killed process
     * is gone from every view within a second, probe included.
     */
    @NotNull
    @JsonProperty
    public Duration sessionGrace = Duration.milliseconds(500);

    /** How often a session stream is probed, so a dead peer is noticed quickly. */
    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    public Duration sessionProbeInterval = Duration.milliseconds(100);

    /** The comment sent on every watch stream so proxies keep it open. */
    @NotNull
    @JsonProperty
    public Duration watchKeepAlive = Duration.seconds(15);

    /** How many past events a watcher can resume from. */
    @Min(100)
    @JsonProperty
    public int eventHistory = 10_000;

    /** How many events may wait for a slow watcher before its stream is closed. */
    @Min(100)
    @JsonProperty
    public int watcherQueue = 10_000;

    /** The longest a blocking query may wait. */
    @NotNull
    @JsonProperty
    public Duration maxBlockingWait = Duration.minutes(5);

    @Valid
    @NotNull
    @JsonProperty
    public SelfPreservationFactory selfPreservation = new SelfPreservationFactory();

    @Valid
    @NotNull
    @JsonProperty
    public AuthFactory auth = new AuthFactory();

    public static class SelfPreservationFactory {
        @JsonProperty
        public boolean enabled = true;

        /** Engaged when fewer than this share of instances renewed within 1.5 heartbeat intervals. */
        @DecimalMin("0.0")
        @DecimalMax("1.0")
        @JsonProperty
        public double renewingShareThreshold = 0.05;

        /** Never engaged with fewer instances than this. */
        @Min(1)
        @JsonProperty
        public int minInstances = 3;
    }

    public static class AuthFactory {
        /** The bearer token writes (register, heartbeat, status, delete) need. */
        @NotEmpty
        @JsonProperty
        public String token;

        /** Whether reads (lists, watch) need it too. */
        @JsonProperty
        public boolean protectReads = false;
    }
}
