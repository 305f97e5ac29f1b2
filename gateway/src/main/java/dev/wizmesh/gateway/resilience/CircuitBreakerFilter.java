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
 * The circuit breaker in the proxy pipeline: each attempt asks the route's service's breaker for
 * permission (open: 503 {@code CIRCUIT_OPEN} at once, without calling) and reports how the
 * attempt went — a timeout, a broken exchange or a 5xx is a failure, a slow answer counts as
 * slow — so the breaker opens on a failing service and closes again once its trial calls
 * succeed. A connection that could not be made (a dead instance) is not counted: that is one
 * instance's problem, for outlier ejection and the safe retry, and must not open the breaker
 * for the healthy instances too.
 */
public final class CircuitBreakerFilter implements ProxyFilter {
    private static final String PERMITTED = CircuitBreakerFilter.class.getName() + ".permitted";

    private final CircuitBreakers breakers;

    public CircuitBreakerFilter(CircuitBreakers breakers) {
        this.breakers = breakers;
    }

    @Override
    public Optional<Rejection> beforeAttempt(ProxyRequest request, int attempt) {
        String service = request.route().service();
        CircuitBreaker breaker = breakers.forService(service);
        if (!breaker.tryAcquirePermission()) {
            return Optional.of(Rejection.of(ErrorCode.CIRCUIT_OPEN, Map.of("service", service)));
        }
        request.attributes().put(PERMITTED + attempt, Boolean.TRUE);
        return Optional.empty();
    }

    @Override
    public void afterAttempt(ProxyRequest request, AttemptResult result) {
        if (request.attributes().remove(PERMITTED + result.number()) == null) {
            return; // refused before the call, or the permission was never taken
        }
        CircuitBreaker breaker = breakers.forService(request.route().service());
        long nanos = result.elapsed().toNanos();
        if (result.outcome() == AttemptResult.Outcome.BODY_TOO_LARGE
                || result.outcome() == AttemptResult.Outcome.NOT_SENT
                || result.outcome() == AttemptResult.Outcome.STALE_CONNECTION) {
            // the client's fault, or one instance's: a refused or stale connection says nothing
            // about the service (outlier ejection and the safe retry deal with the instance)
            breaker.releasePermission();
        } else if (result.isFailure()) {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, result.failure() != null ? result.failure()
                    : new UpstreamStatusException(result.status()));
        } else {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** A 5xx answer, as the breaker's failure. */
    static final class UpstreamStatusException extends RuntimeException {
        UpstreamStatusException(int status) {
            super("upstream answered " + status, null, false, false);
        }
    }
}
