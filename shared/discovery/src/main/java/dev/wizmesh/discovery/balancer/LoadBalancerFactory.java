package dev.wizmesh.discovery.balancer;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/**
 * The {@code loadBalancer:} block of a service's YAML; {@link #build()} makes the balancer.
 *
 * <pre>
 * loadBalancer:
 *   type: peak_ewma   # round_robin (default) | random | weighted_round_robin | least_outstanding | peak_ewma
 *   decay: 10s        # peak_ewma only: how fast old latencies fade
 * </pre>
 */
public class LoadBalancerFactory {

    /** The balancers there are, by the name the YAML uses. */
    public enum Type {
        /** {@link RoundRobinBalancer} */
        @JsonProperty("round_robin") ROUND_ROBIN,
        /** {@link RandomBalancer} */
        @JsonProperty("random") RANDOM,
        /** {@link SmoothWeightedRoundRobinBalancer} */
        @JsonProperty("weighted_round_robin") WEIGHTED_ROUND_ROBIN,
        /** {@link LeastOutstandingBalancer} */
        @JsonProperty("least_outstanding") LEAST_OUTSTANDING,
        /** {@link PeakEwmaBalancer} */
        @JsonProperty("peak_ewma") PEAK_EWMA
    }

    @NotNull
    private Type type = Type.ROUND_ROBIN;

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    private Duration decay = Duration.seconds(10);

    @JsonProperty
    public Type getType() {
        return type;
    }

    @JsonProperty
    public void setType(Type type) {
        this.type = type;
    }

    @JsonProperty
    public Duration getDecay() {
        return decay;
    }

    @JsonProperty
    public void setDecay(Duration decay) {
        this.decay = decay;
    }

    /** A new balancer, with no history: build one per upstream service, not one per call. */
    public LoadBalancer build() {
        return switch (type) {
            case ROUND_ROBIN -> new RoundRobinBalancer();
            case RANDOM -> new RandomBalancer();
            case WEIGHTED_ROUND_ROBIN -> new SmoothWeightedRoundRobinBalancer();
            case LEAST_OUTSTANDING -> new LeastOutstandingBalancer();
            case PEAK_EWMA -> new PeakEwmaBalancer(decay.toJavaDuration());
        };
    }
}
