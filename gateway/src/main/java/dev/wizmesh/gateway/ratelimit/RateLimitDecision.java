package dev.wizmesh.gateway.ratelimit;

/**
 * One rate-limit decision, with what the {@code X-RateLimit-*} headers report: the bucket's
 * capacity, the whole tokens left after this request, seconds until it is full again, and (when
 * refused) seconds until one token is back ({@code Retry-After}).
 */
public record RateLimitDecision(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {
}
