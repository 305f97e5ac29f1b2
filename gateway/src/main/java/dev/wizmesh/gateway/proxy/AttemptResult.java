package dev.wizmesh.gateway.proxy;

import dev.wizmesh.discovery.ServiceInstance;
import java.time.Duration;

/**
 * How one upstream attempt ended, for {@link ProxyFilter#afterAttempt} (circuit breakers,
 * metrics) and {@link RetryDecider} (may we try again?).
 *
 * @param number     1 for the first attempt
 * @param instance   the instance it went to
 * @param outcome    what happened
 * @param status     the upstream's status for {@link Outcome#RESPONSE}; 0 otherwise
 * @param failure    the exception for the other outcomes; null for a response
 * @param replayable true when the request could be sent again as it was: no body, or every
 *                   byte of it read so far is still held for a replay
 * @param elapsed    from sending to the outcome
 */
public record AttemptResult(int number, ServiceInstance instance, Outcome outcome, int status, Throwable failure,
                            boolean replayable, Duration elapsed) {

    public enum Outcome {
        /** Never reached the upstream: the connection could not be made. Safe to retry for any method. */
        NOT_SENT,
        /**
         * A pooled connection the upstream had already closed: the request failed on a reused
         * connection before any response byte (the keep-alive race). Safe to retry once for any
         * method: the upstream closed the connection without reading the request.
         */
        STALE_CONNECTION,
        /** No response headers within the route's timeout. */
        TIMEOUT,
        /** Any other failure before the response began (reset, closed mid-request). */
        FAILED,
        /** The upstream answered with {@link #status()}. */
        RESPONSE,
        /** The client's body went over the route's limit: answered 413, nothing to retry. */
        BODY_TOO_LARGE
    }

    /** What the balancer and outlier detector count as a failure: no answer, or a 5xx. */
    public boolean isFailure() {
        return switch (outcome) {
            case RESPONSE -> status >= 500;
            case BODY_TOO_LARGE -> false;
            default -> true;
        };
    }
}
