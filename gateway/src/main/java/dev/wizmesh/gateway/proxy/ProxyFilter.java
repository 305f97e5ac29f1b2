package dev.wizmesh.gateway.proxy;

import dev.wizmesh.discovery.ServiceInstance;
import java.util.List;
import java.util.Optional;

/**
 * The proxy's extension points, called by {@link ProxyExchange} in this order for each request
 * (every method has a do-nothing default, so a filter implements only what it needs):
 *
 * <ol>
 *   <li>{@link #beforeForwarding}: once, after the route is found and the caller authenticated,
 *       before anything is sent. Rate limiting goes here (429 {@code RATE_LIMITED}).</li>
 *   <li>{@link #candidates}: for each attempt, narrows the service's instances before the
 *       balancer picks one. Canary routing goes here (instances of one version).</li>
 *   <li>{@link #beforeAttempt}: for each attempt, once the instance is chosen. A circuit breaker
 *       goes here (503 {@code CIRCUIT_OPEN} without calling).</li>
 *   <li>{@link #afterAttempt}: for each attempt, with how it ended; retries are decided by the
 *       {@link RetryDecider} right after.</li>
 *   <li>{@link #afterRequest}: once, with the last attempt and the status sent. The circuit
 *       breaker records here.</li>
 * </ol>
 * Filters run in list order; the first rejection wins and the rest are not called.
 */
public interface ProxyFilter {
    default Optional<Rejection> beforeForwarding(ProxyRequest request) {
        return Optional.empty();
    }

    default List<ServiceInstance> candidates(ProxyRequest request, List<ServiceInstance> instances) {
        return instances;
    }

    /**
     * Before each attempt, before an instance is chosen (a per-service breaker needs none).
     *
     * @param attempt 1 for the first attempt, 2 for the first retry, ...
     */
    default Optional<Rejection> beforeAttempt(ProxyRequest request, int attempt) {
        return Optional.empty();
    }

    default void afterAttempt(ProxyRequest request, AttemptResult result) {
    }

    /**
     * Once per forwarded request, when its answer is decided (retries done): with its last
     * attempt — null when none was made (no healthy instance, a rejection before the first) — and
     * the status the client got. A per-service circuit breaker records here: the service failed
     * the request only if the retries could not save it.
     */
    default void afterRequest(ProxyRequest request, AttemptResult lastAttempt, int status) {
    }
}
