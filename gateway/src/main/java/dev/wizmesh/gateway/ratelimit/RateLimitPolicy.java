package dev.wizmesh.gateway.ratelimit;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One named policy under {@code rateLimits.policies}: a token bucket per distinct value of its
 * {@code keyBy} facts.
 *
 * <pre>
 * policies:
 *   per-user: {capacity: 100, refillPerSecond: 50, keyBy: [user]}
 *   per-tenant-route: {capacity: 1000, refillPerSecond: 500, keyBy: [tenant, route]}
 * </pre>
 */
public class RateLimitPolicy {
    @Min(1)
    @JsonProperty
    public long capacity = 100;

    @DecimalMin(value = "0", inclusive = false)
    @JsonProperty
    public double refillPerSecond = 50;

    @NotEmpty
    @JsonProperty
    public List<KeyBy> keyBy = List.of(KeyBy.IP);

    public RateLimitPolicy() {
    }

    public RateLimitPolicy(long capacity, double refillPerSecond, List<KeyBy> keyBy) {
        this.capacity = capacity;
        this.refillPerSecond = refillPerSecond;
        this.keyBy = List.copyOf(keyBy);
    }

    /** The bucket arithmetic at the full rate (Redis, or a lone gateway). */
    public TokenBucket bucket() {
        return new TokenBucket(capacity, refillPerSecond);
    }

    /**
     * The bucket arithmetic at this instance's share of the rate, for when instances cannot
     * share state (Redis down): each of {@code instances} gateways admits 1/n of the policy, so
     * together they still admit about the configured rate. The burst never drops below one
     * token, or nothing would ever pass.
     */
    public TokenBucket bucketShare(int instances) {
        return new TokenBucket(Math.max(1, (double) capacity / instances), refillPerSecond / instances);
    }

    /**
     * Which bucket a request uses: {@code user=42|route=orders}. A fact the request lacks (no
     * user on an anonymous call) is replaced by its client IP, so anonymous callers are still
     * limited, one bucket per address, and never all share one "null" bucket.
     */
    public String bucketKey(RateLimitKey key) {
        Set<String> parts = new LinkedHashSet<>();
        for (KeyBy by : keyBy) {
            String value = by.valueOf(key);
            if (value != null) {
                parts.add(by.label() + "=" + escape(value));
            } else {
                String ip = KeyBy.IP.valueOf(key);
                parts.add("ip=" + (ip == null ? "unknown" : escape(ip)));
            }
        }
        return String.join("|", new ArrayList<>(parts));
    }

    /** Separators inside a value are encoded, so no user id can forge another request's key. */
    private static String escape(String value) {
        if (value.indexOf('%') < 0 && value.indexOf('|') < 0 && value.indexOf('=') < 0) {
            return value;
        }
        return value.replace("%", "%25").replace("|", "%7C").replace("=", "%3D");
    }
}
