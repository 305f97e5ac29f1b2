package dev.wizmesh.gateway.ratelimit;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/** Reads one counter or gauge value out of a registry (0 when the series does not exist yet). */
final class MetricValues {
    private MetricValues() {
    }

    /** {@code name} as client_java names it (a counter without {@code _total}); labels as name, value pairs. */
    static double of(PrometheusRegistry registry, String name, String... labels) {
        for (MetricSnapshot snapshot : registry.scrape()) {
            if (!snapshot.getMetadata().getPrometheusName().equals(name)) {
                continue;
            }
            for (DataPointSnapshot point : snapshot.getDataPoints()) {
                boolean matches = true;
                for (int i = 0; i < labels.length; i += 2) {
                    matches &= labels[i + 1].equals(point.getLabels().get(labels[i]));
                }
                if (matches) {
                    if (point instanceof CounterSnapshot.CounterDataPointSnapshot counter) {
                        return counter.getValue();
                    }
                    if (point instanceof GaugeSnapshot.GaugeDataPointSnapshot gauge) {
                        return gauge.getValue();
                    }
                }
            }
        }
        return 0;
    }
}
