package dev.wizmesh.transactions;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.function.LongSupplier;

/**
 * What the coordinator did, on the service's Prometheus registry:
 * {@code transactions_started_total{mode,definition}},
 * {@code transactions_finished_total{mode,definition,outcome}} (COMPLETED, COMPENSATED,
 * FAILED_NEEDS_ATTENTION), {@code transaction_duration_seconds{mode,outcome}},
 * {@code transaction_recoveries_total{mode}} (runs that resumed a transaction another driver had
 * left) and {@code transactions_stuck} (needing an operator, or a minute past their deadline).
 */
public final class TransactionMetrics {
    private final Counter started;
    private final Counter finished;
    private final Histogram duration;
    private final Counter recoveries;

    public TransactionMetrics(PrometheusRegistry registry, LongSupplier stuck) {
        started = Counter.builder().name("transactions_started_total")
                .help("Distributed transactions begun, by mode and definition")
                .labelNames("mode", "definition").register(registry);
        finished = Counter.builder().name("transactions_finished_total")
                .help("Distributed transactions that reached a final state, by mode, definition and outcome")
                .labelNames("mode", "definition", "outcome").register(registry);
        duration = Histogram.builder().name("transaction_duration_seconds")
                .help("Time from a distributed transaction's start to its final state")
                .unit(Unit.SECONDS).classicOnly()
                .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
                .labelNames("mode", "outcome").register(registry);
        recoveries = Counter.builder().name("transaction_recoveries_total")
                .help("Runs that resumed a transaction its earlier driver had left unfinished")
                .labelNames("mode").register(registry);
        GaugeWithCallback.builder().name("transactions_stuck")
                .help("Transactions needing an operator (FAILED_NEEDS_ATTENTION) or unfinished a minute past their deadline")
                .callback(cb -> {
                    try {
                        cb.call(stuck.getAsLong());
                    } catch (RuntimeException databaseDown) {
                        // no sample this scrape: the database's own health check says why
                    }
                }).register(registry);
    }

    void started(TransactionDefinition<?> definition) {
        started.labelValues(definition.mode().name(), definition.name()).inc();
    }

    void finished(TransactionDefinition<?> definition, TransactionState outcome, double seconds) {
        finished.labelValues(definition.mode().name(), definition.name(), outcome.name()).inc();
        duration.labelValues(definition.mode().name(), outcome.name()).observe(seconds);
    }

    void recovered(TransactionMode mode) {
        recoveries.labelValues(mode.name()).inc();
    }
}
