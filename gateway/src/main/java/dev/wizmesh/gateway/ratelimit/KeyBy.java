package dev.wizmesh.gateway.ratelimit;

import java.util.function.Function;

/** A fact of the request a policy's buckets are keyed by: {@code keyBy: [ip, user, tenant, route]}. */
public enum KeyBy {
    IP("ip", RateLimitKey::clientIp),
    USER("user", RateLimitKey::userId),
    TENANT("tenant", RateLimitKey::tenantId),
    ROUTE("route", RateLimitKey::routeId);

    private final String label;
    private final Function<RateLimitKey, String> value;

    KeyBy(String label, Function<RateLimitKey, String> value) {
        this.label = label;
        this.value = value;
    }

    /** The name used in bucket keys ({@code user=42}). */
    public String label() {
        return label;
    }

    /** This fact of the request, or null when the request does not have it. */
    String valueOf(RateLimitKey key) {
        String v = value.apply(key);
        return v == null || v.isBlank() ? null : v;
    }
}
