package dev.wizmesh.gateway.resilience;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.Locale;
import java.util.Set;

/**
 * A route's retry policy (the {@code retryPolicies:} YAML map, named from a route's
 * {@code retry:}). What may be retried is fixed by HTTP, not by taste:
 * <ul>
 *   <li>a connection failure before any byte was sent: always, whatever the method (the
 *       upstream never saw the request);</li>
 *   <li>a 502/503/504 or a timeout: only for idempotent methods ({@code GET HEAD OPTIONS PUT
 *       DELETE}); a POST that reached the upstream may have had its effect, so it is never
 *       retried.</li>
 * </ul>
 * Each retry goes to another instance, waits a jittered backoff, and needs the retry budget.
 */
public class RetryPolicy {
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");

    /** Attempts in all, the first included: 3 = up to two retries. */
    @Min(1)
    @Max(10)
    @JsonProperty
    public int maxAttempts = 3;

    /** Upstream statuses that mean "try another instance" for idempotent methods. */
    @NotNull
    @JsonProperty
    public Set<Integer> retryOnStatus = Set.of(502, 503, 504);

    /** Retry an idempotent request whose upstream timed out. */
    @JsonProperty
    public boolean retryOnTimeout = true;

    @NotNull
    @JsonProperty
    public Duration backoffBase = Duration.milliseconds(25);

    @NotNull
    @JsonProperty
    public Duration backoffMax = Duration.milliseconds(250);

    public Backoff backoff() {
        return new Backoff(java.time.Duration.ofMillis(backoffBase.toMilliseconds()),
                java.time.Duration.ofMillis(backoffMax.toMilliseconds()));
    }

    public static boolean isIdempotent(String method) {
        return IDEMPOTENT.contains(method.toUpperCase(Locale.ROOT));
    }

    /** After an upstream answered {@code status} (the request reached it). */
    public boolean retriesStatus(String method, int status) {
        return isIdempotent(method) && retryOnStatus.contains(status);
    }

    /** After the upstream did not answer in time (the request reached it). */
    public boolean retriesTimeout(String method) {
        return retryOnTimeout && isIdempotent(method);
    }
}
