package dev.wizmesh.gateway.proxy;

import java.time.Duration;
import java.util.Optional;

/**
 * The one retry that is always safe, whatever the method and the route's retry policy: the
 * upstream never saw the request. Either the connection could not be made
 * ({@link AttemptResult.Outcome#NOT_SENT}), or a pooled connection turned out to be closed by
 * the upstream before any response byte ({@link AttemptResult.Outcome#STALE_CONNECTION}, the
 * keep-alive race between an idle timeout on the upstream and our reuse of the connection).
 * At most {@code maxRetries} such retries per request, at once, on another instance when there is
 * one. More than one is needed: after an upstream restart, every pooled connection to it is dead.
 */
public final class StaleConnectionRetry implements RetryDecider {
    private final int maxRetries;

    public StaleConnectionRetry(int maxRetries) {
        this.maxRetries = maxRetries;
    }

    @Override
    public Optional<Duration> retryAfter(ProxyRequest request, AttemptResult result) {
        boolean unseen = result.outcome() == AttemptResult.Outcome.NOT_SENT
                || result.outcome() == AttemptResult.Outcome.STALE_CONNECTION;
        return unseen && result.replayable() && result.number() <= maxRetries ? Optional.of(Duration.ZERO) : Optional.empty();
    }
}
