package dev.wizmesh.discovery.balancer;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/**
 * The {@code outlierDetection:} block of a service's YAML; {@link #build()} makes the detector.
 * The defaults are Envoy's, except the share of the pool that may be ejected (Envoy: 10 %).
 *
 * <pre>
 * outlierDetection:
 *   consecutiveFailures: 5    # failures in a row that eject an instance
 *   baseEjectionTime: 30s     # the first ejection's length; the n-th lasts n times as long
 *   maxEjectionTime: 5m       # ... but never longer than this
 *   maxEjectionPercent: 50    # never eject more of the pool at once; 0 turns ejection off
 * </pre>
 */
public class OutlierDetectorFactory {

    @Min(1)
    private int consecutiveFailures = 5;

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    private Duration baseEjectionTime = Duration.seconds(30);

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    private Duration maxEjectionTime = Duration.minutes(5);

    @Min(0)
    @Max(100)
    private int maxEjectionPercent = 50;

    @JsonProperty
    public int getConsecutiveFailures() {
        return consecutiveFailures;
    }

    @JsonProperty
    public void setConsecutiveFailures(int consecutiveFailures) {
        this.consecutiveFailures = consecutiveFailures;
    }

    @JsonProperty
    public Duration getBaseEjectionTime() {
        return baseEjectionTime;
    }

    @JsonProperty
    public void setBaseEjectionTime(Duration baseEjectionTime) {
        this.baseEjectionTime = baseEjectionTime;
    }

    @JsonProperty
    public Duration getMaxEjectionTime() {
        return maxEjectionTime;
    }

    @JsonProperty
    public void setMaxEjectionTime(Duration maxEjectionTime) {
        this.maxEjectionTime = maxEjectionTime;
    }

    @JsonProperty
    public int getMaxEjectionPercent() {
        return maxEjectionPercent;
    }

    @JsonProperty
    public void setMaxEjectionPercent(int maxEjectionPercent) {
        this.maxEjectionPercent = maxEjectionPercent;
    }

    @JsonIgnore
    @ValidationMethod(message = "maxEjectionTime must not be shorter than baseEjectionTime")
    public boolean isMaxEjectionTimeAtLeastBase() {
        return baseEjectionTime == null || maxEjectionTime == null
                || maxEjectionTime.toNanoseconds() >= baseEjectionTime.toNanoseconds();
    }

    /** A new detector, with no history: build one per {@link InstanceChooser}. */
    public OutlierDetector build() {
        return new OutlierDetector(consecutiveFailures, baseEjectionTime.toJavaDuration(),
                maxEjectionTime.toJavaDuration(), maxEjectionPercent, System::nanoTime);
    }
}
