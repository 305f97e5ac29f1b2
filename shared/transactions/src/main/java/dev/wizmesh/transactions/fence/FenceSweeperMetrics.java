package dev.wizmesh.transactions.fence;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.LongSupplier;

/**
 * A participant's sweeper on its Prometheus registry: {@code tx_fence_sweeps_total},
 * {@code tx_fence_expired_cancelled_total} (reservations and holds nobody confirmed or cancelled
 * in time, released here: a coordinator that keeps losing its TCC branches shows up as this
 * climbing), {@code tx_fence_deleted_total} (finished rows past their retention) and
 * {@code tx_fence_sweep_failures_total}.
 */
public final class FenceSweeperMetrics {
    private FenceSweeperMetrics() {
    }

    public static void register(PrometheusRegistry registry, FenceSweeper sweeper) {
        counter(registry, "tx_fence_sweeps_total", "Runs of the transaction fence's sweeper", sweeper::sweeps);
        counter(registry, "tx_fence_expired_cancelled_total",
                "Tried branches (TCC reservations, holds) cancelled by the sweeper because nobody confirmed or cancelled them in time",
                sweeper::expiredCancelled);
        counter(registry, "tx_fence_deleted_total", "Finished fence rows deleted after their retention", sweeper::deleted);
        counter(registry, "tx_fence_sweep_failures_total", "Expired branches the sweeper could not cancel (retried next run)",
                sweeper::failures);
    }

    private static void counter(PrometheusRegistry registry, String name, String help, LongSupplier value) {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsLong())).register(registry);
    }
}
