package dev.wizmesh.gateway.resilience;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.Map;

/**
 * The {@code circuitBreakers:} YAML block: one Resilience4j circuit breaker per upstream
 * service, with these defaults and per-service overrides. Over a sliding window of the last
 * {@code slidingWindowSize} calls (once at least {@code minimumNumberOfCalls} were made), the
 * breaker opens when the failure rate or the slow-call rate reaches its threshold; open, it
 * refuses calls at once (503 CIRCUIT_OPEN) for {@code waitInOpenState}; then it lets
 * {@code permittedCallsInHalfOpenState} trial calls through and closes if they succeed.
 */
public class CircuitBreakerFactory {
    @Valid
    @NotNull
    @JsonProperty
    public Settings defaults = new Settings();


    /** Overrides per service name; unset fields take the defaults' values. */
    @NotNull
    @JsonProperty
    public Map<String, Settings> services = Map.of();

    /** Settings left out (here or in {@code defaults}) take these values. */
    static Settings standard() {
        Settings s = new Settings();
        s.failureRateThreshold = 50;
        s.slowCallRateThreshold = 80;
        s.slowCallDuration = Duration.seconds(2);
        s.slidingWindowSize = 20;
        s.minimumNumberOfCalls = 10;
        s.waitInOpenState = Duration.seconds(10);
        s.permittedCallsInHalfOpenState = 3;
        return s;
    }

    /** Each field may be left out (null): it is then taken from the level below. */
    public static class Settings {
        @Min(1)
        @Max(100)
        @JsonProperty
        public Integer failureRateThreshold;

        @Min(1)
        @Max(100)
        @JsonProperty
        public Integer slowCallRateThreshold;

        @JsonProperty
        public Duration slowCallDuration;

        @Min(1)
        @JsonProperty
        public Integer slidingWindowSize;

        @Min(1)
        @JsonProperty
        public Integer minimumNumberOfCalls;

        @JsonProperty
        public Duration waitInOpenState;

        @Min(1)
        @JsonProperty
        public Integer permittedCallsInHalfOpenState;

        Settings over(Settings base) {
            Settings s = new Settings();
            s.failureRateThreshold = failureRateThreshold != null ? failureRateThreshold : base.failureRateThreshold;
            s.slowCallRateThreshold = slowCallRateThreshold != null ? slowCallRateThreshold : base.slowCallRateThreshold;
            s.slowCallDuration = slowCallDuration != null ? slowCallDuration : base.slowCallDuration;
            s.slidingWindowSize = slidingWindowSize != null ? slidingWindowSize : base.slidingWindowSize;
            s.minimumNumberOfCalls = minimumNumberOfCalls != null ? minimumNumberOfCalls : base.minimumNumberOfCalls;
            s.waitInOpenState = waitInOpenState != null ? waitInOpenState : base.waitInOpenState;
            s.permittedCallsInHalfOpenState = permittedCallsInHalfOpenState != null
                    ? permittedCallsInHalfOpenState : base.permittedCallsInHalfOpenState;
            return s;
        }

        CircuitBreakerConfig toConfig() {
            return CircuitBreakerConfig.custom()
                    .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                    .slidingWindowSize(slidingWindowSize)
                    .minimumNumberOfCalls(minimumNumberOfCalls)
                    .failureRateThreshold(failureRateThreshold)
                    .slowCallRateThreshold(slowCallRateThreshold)
                    .slowCallDurationThreshold(java.time.Duration.ofMillis(slowCallDuration.toMilliseconds()))
                    .waitDurationInOpenState(java.time.Duration.ofMillis(waitInOpenState.toMilliseconds()))
                    .permittedNumberOfCallsInHalfOpenState(permittedCallsInHalfOpenState)
                    // recovery needs no traffic to notice the wait is over
                    .automaticTransitionFromOpenToHalfOpenEnabled(true)
                    .build();
        }
    }

    /** The breakers, with their state and calls as Prometheus metrics. */
    public CircuitBreakers build(io.prometheus.metrics.model.registry.PrometheusRegistry metrics) {
        return new CircuitBreakers(this, metrics);
    }

    CircuitBreakerConfig configFor(String service) {
        Settings base = defaults.over(standard());
        Settings specific = services.get(service);
        return (specific == null ? base : specific.over(base)).toConfig();
    }
}
