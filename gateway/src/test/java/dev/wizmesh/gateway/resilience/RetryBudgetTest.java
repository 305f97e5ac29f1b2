package dev.wizmesh.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

    @Test
    void retriesAreCappedAtTheRatioOfRequests() {
        RetryBudget budget = new RetryBudget(0.2, 0, now::get);
        for (int i = 0; i < 100; i++) {
            budget.recordRequest();
        }
        int retried = 0;
        for (int i = 0; i < 100; i++) {
            if (budget.tryRetry()) {
                retried++;
            }
        }
        assertThat(retried).isEqualTo(20);
    }

    @Test
    void aQuietRouteStillGetsTheFloor() {
        RetryBudget budget = new RetryBudget(0.2, 1, now::get);
        budget.recordRequest();
        int retried = 0;
        while (budget.tryRetry()) {
            retried++;
        }
        assertThat(retried).as("1 per second over the 10 s window").isEqualTo(10);
    }

    @Test
    void oldTrafficAgesOutOfTheWindow() {
        RetryBudget budget = new RetryBudget(0.5, 0, now::get);
        for (int i = 0; i < 10; i++) {
            budget.recordRequest();
        }
        while (budget.tryRetry()) {
            // spend it all
        }
        now.addAndGet(11_000_000_000L);
        assertThat(budget.tryRetry()).as("no requests in the last 10 s, no budget").isFalse();
        budget.recordRequest();
        budget.recordRequest();
        assertThat(budget.tryRetry()).isTrue();
        assertThat(budget.tryRetry()).isFalse();
    }
}
