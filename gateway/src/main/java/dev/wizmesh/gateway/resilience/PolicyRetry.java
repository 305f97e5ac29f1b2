package dev.wizmesh.gateway.resilience;

import dev.wizmesh.gateway.proxy.AttemptResult;
import dev.wizmesh.gateway.proxy.ProxyFilter;
import dev.wizmesh.gateway.proxy.ProxyRequest;
import dev.wizmesh.gateway.proxy.Rejection;
import dev.wizmesh.gateway.proxy.RetryDecider;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Retries by the route's policy ({@code retry:} naming one of {@code retryPolicies:}): an
 * idempotent request whose upstream answered 502/503/504, timed out, or broke the connection
 * before answering is tried again on another
 * instance, after a jittered backoff, up to the policy's attempts, and only while the retry
 * budget has room. A POST that reached its upstream is never retried (the stale-connection retry
 * covers the requests an upstream never saw).
 */
public final class PolicyRetry implements RetryDecider, ProxyFilter {
    private final Map<String, RetryPolicy> policies;
    private final RetryBudget budget;

    public PolicyRetry(Map<String, RetryPolicy> policies, RetryBudget budget) {
        this.policies = policies;
        this.budget = budget;
    }

    /** Every request counts towards the budget's share, retried or not. */
    @Override
    public Optional<Rejection> beforeForwarding(ProxyRequest request) {
        budget.recordRequest();
        return Optional.empty();
    }

    @Override
    public Optional<Duration> retryAfter(ProxyRequest request, AttemptResult result) {
        Optional<RetryPolicy> policy = request.route().retryPolicy().map(policies::get);
        if (policy.isEmpty() || result.number() >= policy.get().maxAttempts) {
            return Optional.empty();
        }
        boolean retryable = switch (result.outcome()) {
            case RESPONSE -> policy.get().retriesStatus(request.method(), result.status());
            case TIMEOUT -> policy.get().retriesTimeout(request.method());
            case NOT_SENT, STALE_CONNECTION -> true;
            // the connection broke before any response byte (an instance killed mid-request):
            // the upstream may have acted, so only an idempotent request goes again
            case FAILED -> RetryPolicy.isIdempotent(request.method());
            default -> false;
        };
        if (!retryable || !budget.tryRetry()) {
            return Optional.empty();
        }
        return Optional.of(policy.get().backoff().delayBefore(result.number()));
    }
}
