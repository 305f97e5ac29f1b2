package dev.wizmesh.gateway.canary;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A route's {@code canary:} block: which version of the upstream service (instance metadata
 * {@code version}) a request should reach. Checked in this order, the first that applies wins:
 * <ol>
 *   <li>{@code header}: a request carrying {@code name: value} goes to {@code version} (testers,
 *       internal traffic);</li>
 *   <li>{@code users}: a stable share of users — the user id hashed into 10,000 buckets — goes to
 *       {@code version}, so one user always sees the same version across requests;</li>
 *   <li>{@code weights}: every other request picks a version by weight ({@code {"1.4.0": 95,
 *       "1.5.0": 5}}).</li>
 * </ol>
 * No rule applies → empty: any version. When no instance of the chosen version is up, the proxy
 * falls back to all instances rather than failing the request.
 */
public class CanaryRule {
    @Valid
    @JsonProperty
    public HeaderMatch header;

    @Valid
    @JsonProperty
    public UserShare users;

    /** Version → weight (any positive integers; shares are weight / sum). */
    @JsonProperty
    public Map<String, Integer> weights = new LinkedHashMap<>();

    public static class HeaderMatch {
        @NotBlank
        @JsonProperty
        public String name;
        @NotBlank
        @JsonProperty
        public String value;
        @NotBlank
        @JsonProperty
        public String version;
    }

    public static class UserShare {
        @Min(0)
        @Max(100)
        @JsonProperty
        public double percent;
        @NotBlank
        @JsonProperty
        public String version;
    }

    /**
     * @param header  the request's header values by name (case-insensitive lookup is the caller's)
     * @param userId  the verified user, or null for an anonymous request
     * @param random  a source of uniform longs, for the weighted split
     */
    public Optional<String> chooseVersion(Function<String, String> header, String userId, LongSupplier random) {
        if (this.header != null && this.header.value.equals(header.apply(this.header.name))) {
            return Optional.of(this.header.version);
        }
        if (users != null && userId != null && bucketOf(userId) < users.percent * 100) {
            return Optional.of(users.version);
        }
        if (!weights.isEmpty()) {
            long total = weights.values().stream().mapToLong(Integer::longValue).sum();
            long pick = Math.floorMod(random.getAsLong(), total);
            for (Map.Entry<String, Integer> e : weights.entrySet()) {
                pick -= e.getValue();
                if (pick < 0) {
                    return Optional.of(e.getKey());
                }
            }
        }
        return Optional.empty();
    }

    /** A user's place in 0..9999: the first bytes of SHA-256(user id), the same on every gateway. */
    static int bucketOf(String userId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(userId.getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (digest[i] & 0xff);
            }
            return (int) Math.floorMod(value, 10_000L);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always there", e);
        }
    }
}
