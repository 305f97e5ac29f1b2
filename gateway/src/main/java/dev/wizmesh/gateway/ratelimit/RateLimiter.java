package dev.wizmesh.gateway.ratelimit;

/** Decides whether a request may pass under a named policy from the {@code rateLimits:} YAML. */
public interface RateLimiter {
    /**
     * Takes one token from the bucket this request maps to under {@code policy}.
     *
     * @throws IllegalArgumentException for a policy the YAML does not define (a config error,
     *                                  caught when routes are loaded)
     */
    RateLimitDecision tryAcquire(String policy, RateLimitKey key);

    /** True when {@code policy} is defined. */
    boolean hasPolicy(String policy);
}
