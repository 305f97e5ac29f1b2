package dev.wizmesh.registry.core;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/**
 * An active health check the registry runs against an instance: GET {@code url} every
 * {@code intervalSeconds}; a failure (non-2xx, or no answer within {@code timeoutSeconds})
 * marks it DOWN; still failing after {@code deregisterAfterSeconds} removes it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HealthCheckSpec(
        @NotBlank @Pattern(regexp = "https?://.+", message = "must be an http(s) URL") String url,
        @Min(1) @Max(3600) int intervalSeconds,
        @Min(1) @Max(60) int timeoutSeconds,
        @Min(1) @Max(86_400) int deregisterAfterSeconds) {
}
