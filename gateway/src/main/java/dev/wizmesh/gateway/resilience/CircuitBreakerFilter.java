package dev.wizmesh.gateway.resilience;

import dev.wizmesh.gateway.proxy.AttemptResult;
import dev.wizmesh.gateway.proxy.ProxyFilter;
import dev.wizmesh.gateway.proxy.ProxyRequest;
import dev.wizmesh.gateway.proxy.Rejection;
import dev.wizmesh.platform.errors.ErrorCode;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The circuit breaker in the proxy pipeline, one per upstream service. Each request asks its
 * service's breaker for permission before anything is sent (open: 503 {@code CIRCUIT_OPEN} at
 * once, without calling) and, once its answer is decided, reports how the <em>request</em> went:
 * a failure when even the retries could not get a good answer (a 5xx, a timeout, no connection
 * to any instance), slow when it took longer than the breaker's slow-call duration.
 *
 * <p>Why per request, not per attempt: with one dead or sick instance among several, attempts
 * fail half the time while every request still succeeds on a retry; counting attempts would
 * open the breaker and cut off the healthy instances too. The sick instance is outlier
 * detection's job; the breaker protects callers from a service that fails as a whole.
 */
public final class CircuitBreakerFilter implements ProxyFilter {
    private static final String PERMITTED = CircuitBreakerFilter.class.getName() + ".permitted";

    private final CircuitBreakers breakers;

    public CircuitBreakerFilter(CircuitBreakers breakers) {
        this.breakers = breakers;
    }

    @Override
    public Optional<Rejection> beforeForwarding(ProxyRequest request) {
        String service = request.route().service();
        if (!breakers.forService(service).tryAcquirePermission()) {
            return Optional.of(Rejection.of(ErrorCode.CIRCUIT_OPEN, Map.of("service", service)));
        }
        request.attributes().put(PERMITTED, Boolean.TRUE);
        return Optional.empty();
    }

    @Override
    public void afterRequest(ProxyRequest request, AttemptResult last, int status) {
        if (request.attributes().remove(PERMITTED) == null) {
            return;
        }
        CircuitBreaker breaker = breakers.forService(request.route().service());
        if (last == null || last.outcome() == AttemptResult.Outcome.BODY_TOO_LARGE) {
            breaker.releasePermission(); // never reached the service, or the client's fault
        } else if (last.isFailure()) {
            breaker.onError(last.elapsed().toNanos(), TimeUnit.NANOSECONDS,
                    last.failure() != null ? last.failure() : new UpstreamStatusException(last.status()));
        } else {
            breaker.onSuccess(last.elapsed().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** A 5xx answer, as the breaker's failure. */
    static final class UpstreamStatusException extends RuntimeException {
        UpstreamStatusException(int status) {
            super("upstream answered " + status, null, false, false);
        }
    }
}
