package dev.wizmesh.gateway.ratelimit;

/** What {@code backend: redis} does while Redis is unreachable ({@code onRedisDown:}). */
public enum OnRedisDown {
    /** Keep limiting, in this JVM, at the policy's rate divided by {@code gatewayInstances} (the default). */
    LOCAL,
    /** Fail open: admit everything until Redis is back. */
    ALLOW,
    /** Fail closed: refuse everything (429) until Redis is back. */
    DENY;

    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
