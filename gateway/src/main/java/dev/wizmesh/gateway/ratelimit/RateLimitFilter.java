package dev.wizmesh.gateway.ratelimit;

import dev.wizmesh.gateway.auth.Caller;
import dev.wizmesh.gateway.proxy.ProxyFilter;
import dev.wizmesh.gateway.proxy.ProxyRequest;
import dev.wizmesh.gateway.proxy.Rejection;
import dev.wizmesh.platform.errors.ErrorCode;
import java.util.Map;
import java.util.Optional;

/**
 * Rate limiting in the proxy pipeline: before anything is forwarded, one token from the bucket
 * of the route's policy (or the default policy) for this caller. Allowed or not, the client gets
 * the {@code X-RateLimit-*} headers; refused, a 429 {@code RATE_LIMITED} with {@code Retry-After}.
 */
public final class RateLimitFilter implements ProxyFilter {
    private final RateLimiter limiter;
    private final RateLimitFactory policies;

    public RateLimitFilter(RateLimiter limiter, RateLimitFactory policies) {
        this.limiter = limiter;
        this.policies = policies;
    }

    @Override
    public Optional<Rejection> beforeForwarding(ProxyRequest request) {
        if (request.route().rateLimitDisabled()) {
            return Optional.empty();
        }
        Optional<String> policy = policies.policyFor(request.route().rateLimitPolicy());
        if (policy.isEmpty()) {
            return Optional.empty();
        }
        Caller caller = request.caller().orElse(null);
        RateLimitDecision decision = limiter.tryAcquire(policy.get(), new RateLimitKey(request.clientAddress(),
                caller == null ? null : caller.userId(), caller == null ? null : caller.tenantId(), request.route().id()));
        Map<String, String> headers = RateLimitHeaders.of(decision);
        if (decision.allowed()) {
            headers.forEach(request::addResponseHeader);
            return Optional.empty();
        }
        Rejection rejection = Rejection.of(ErrorCode.RATE_LIMITED, Map.of("policy", policy.get(),
                "retryAfterSeconds", decision.retryAfterSeconds()));
        for (Map.Entry<String, String> h : headers.entrySet()) {
            rejection = rejection.withHeader(h.getKey(), h.getValue());
        }
        return Optional.of(rejection);
    }
}
