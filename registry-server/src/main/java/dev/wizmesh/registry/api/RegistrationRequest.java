package dev.wizmesh.registry.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.wizmesh.registry.core.HealthCheckSpec;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/** The body of {@code POST /v1/services/{service}/instances}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RegistrationRequest(
        @Pattern(regexp = "[A-Za-z0-9._:\\-]{1,128}", message = "must be 1-128 of A-Z a-z 0-9 . _ : -") String id,
        @NotBlank @Size(max = 253) String host,
        @Min(1) @Max(65535) int port,
        @Min(1) @Max(65535) Integer grpcPort,
        @Pattern(regexp = "https?", message = "must be http or https") String scheme,
        @Size(max = 64) String version,
        @Size(max = 64) String zone,
        @Min(1) @Max(1000) Integer weight,
        @Size(max = 64) Map<String, @NotNull @Size(max = 256) String> metadata,
        @Valid HealthCheckSpec healthCheck,
        @Min(1) @Max(86_400) Integer leaseTtlSeconds) {
}
