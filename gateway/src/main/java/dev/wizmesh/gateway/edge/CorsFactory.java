package dev.wizmesh.gateway.edge;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code cors:} block: which browser origins may call the API through the gateway. The
 * gateway answers CORS itself (preflights never reach a service) so the policy is in one place.
 *
 * <pre>
 * cors:
 *   enabled: true
 *   allowedOrigins: ["https://app.example.com", "http://localhost:3000"]   # "*": any origin
 *   allowedMethods: [GET, POST, PUT, PATCH, DELETE]
 *   allowedHeaders: [Authorization, Content-Type, Idempotency-Key, X-Request-ID]
 *   exposedHeaders: [X-Request-ID, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset]
 *   allowCredentials: false
 *   maxAge: 10m
 * </pre>
 */
public class CorsFactory {
    @JsonProperty
    public boolean enabled = true;

    @NotNull
    @JsonProperty
    public List<String> allowedOrigins = new ArrayList<>();

    @NotNull
    @JsonProperty
    public List<String> allowedMethods = new ArrayList<>(List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"));

    @NotNull
    @JsonProperty
    public List<String> allowedHeaders = new ArrayList<>(List.of("Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID"));

    @NotNull
    @JsonProperty
    public List<String> exposedHeaders = new ArrayList<>(List.of("X-Request-ID", "Retry-After",
            "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"));

    @JsonProperty
    public boolean allowCredentials = false;

    @NotNull
    @JsonProperty
    public Duration maxAge = Duration.minutes(10);

    public CorsFilter build() {
        return new CorsFilter(new CorsPolicy(allowedOrigins, allowedMethods, allowedHeaders, exposedHeaders,
                allowCredentials, maxAge.toSeconds()));
    }
}
