package dev.wizmesh.gateway.proxy;

import java.time.Duration;
import java.util.Optional;

/**
 * Whether to try a request again after an attempt, and after what pause. The proxy only asks
 * when a retry is possible at all: the client has not received a byte yet and the request is
 * {@link AttemptResult#replayable() replayable}. The next attempt prefers an instance not yet
 * tried.
 */
@FunctionalInterface
public interface RetryDecider {
    /** @return empty: answer the client with this attempt's outcome; a duration: wait, then retry */
    Optional<Duration> retryAfter(ProxyRequest request, AttemptResult result);

    /** This decider, or {@code other} when this one says no. */
    default RetryDecider or(RetryDecider other) {
        return (request, result) -> {
            Optional<Duration> mine = retryAfter(request, result);
            return mine.isPresent() ? mine : other.retryAfter(request, result);
        };
    }

    /** Never retries. */
    RetryDecider NEVER = (request, result) -> Optional.empty();
}
