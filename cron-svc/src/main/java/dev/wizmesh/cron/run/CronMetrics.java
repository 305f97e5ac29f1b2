package dev.wizmesh.cron.run;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * What the scheduler did, on the service's Prometheus registry:
 * {@code cron_runs_total{type,status}} (SUCCEEDED, FAILED, MISFIRED),
 * {@code cron_run_duration_seconds{type}}, and {@code cron_fires_skipped_total{reason}}: fires this
 * node was handed but did not run because their row said they ran already ({@code duplicate}; a
 * non-zero value would mean two nodes got one fire) or were taken over ({@code recovered}).
 */
public final class CronMetrics {
    private final Counter runs;
    private final Histogram duration;
    private final Counter skipped;

    public CronMetrics(PrometheusRegistry registry) {
        runs = Counter.builder().name("cron_runs_total").help("Job fires that ended, by job type and status")
                .labelNames("type", "status").register(registry);
        duration = Histogram.builder().name("cron_run_duration_seconds").help("Time a run took, all attempts included")
                .unit(Unit.SECONDS).classicOnly()
                .classicUpperBounds(0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300)
                .labelNames("type").register(registry);
        skipped = Counter.builder().name("cron_fires_skipped_total")
                .help("Fires handed to this node that it did not run, by reason").labelNames("reason").register(registry);
    }

    void ended(String type, String status, double seconds) {
        runs.labelValues(type, status).inc();
        if (!"MISFIRED".equals(status)) {
            duration.labelValues(type).observe(seconds);
        }
    }

    void skipped(String reason) {
        skipped.labelValues(reason).inc();
    }
}
