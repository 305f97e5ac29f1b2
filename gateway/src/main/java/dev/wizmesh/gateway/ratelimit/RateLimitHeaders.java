package dev.wizmesh.gateway.ratelimit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The response headers for a decision, as the proxy sets them: {@code X-RateLimit-Limit} (the
 * burst), {@code X-RateLimit-Remaining} (whole tokens left), {@code X-RateLimit-Reset} (seconds
 * until the bucket is full), and on a refusal (429) {@code Retry-After} in seconds.
 */
public final class RateLimitHeaders {
    public static final String LIMIT = "X-RateLimit-Limit";
    public static final String REMAINING = "X-RateLimit-Remaining";
    public static final String RESET = "X-RateLimit-Reset";
    public static final String RETRY_AFTER = "Retry-After";

    private RateLimitHeaders() {
    }

    /** Header name to value, in the order above. */
    public static Map<String, String> of(RateLimitDecision decision) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(LIMIT, Long.toString(decision.limit()));
        headers.put(REMAINING, Long.toString(decision.remaining()));
        headers.put(RESET, Long.toString(decision.resetSeconds()));
        if (!decision.allowed()) {
            headers.put(RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
        }
        return headers;
    }
}
