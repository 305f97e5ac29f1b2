package dev.wizmesh.gateway.resilience;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.Map;

/**
 * The {@code retries:} YAML block: the named policies routes refer to ({@code retry: idempotent})
 * and the one budget all retries share.
 *
 * <pre>
 * retries:
 *   budget: {ratio: 0.2, minRetriesPerSecond: 10}
 *   policies:
 *     idempotent: {maxAttempts: 3, retryOnStatus: [502, 503, 504], retryOnTimeout: true,
 *                  backoffBase: 25ms, backoffMax: 250ms}
 * </pre>
 */
public class RetriesFactory {
    @Valid
    @NotNull
    @JsonProperty
    public Budget budget = new Budget();

    @Valid
    @NotNull
    @JsonProperty
    public Map<String, RetryPolicy> policies = Map.of("idempotent", new RetryPolicy());

    public static class Budget {
        /** Retries may be at most this share of requests over the last 10 s. */
        @DecimalMin("0.0")
        @DecimalMax("1.0")
        @JsonProperty
        public double ratio = 0.2;

        /** ...or this many per second, whichever is more, so a quiet route can still retry. */
        @Min(0)
        @JsonProperty
        public int minRetriesPerSecond = 10;
    }

    public PolicyRetry build() {
        return new PolicyRetry(policies, new RetryBudget(budget.ratio, budget.minRetriesPerSecond, System::nanoTime));
    }

    public boolean hasPolicy(String name) {
        return policies.containsKey(name);
    }
}
