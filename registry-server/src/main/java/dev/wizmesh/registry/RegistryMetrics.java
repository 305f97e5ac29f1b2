package dev.wizmesh.registry;

import dev.wizmesh.registry.api.WatchHub;
import dev.wizmesh.registry.core.BlockingQueries;
import dev.wizmesh.registry.core.InstanceRegistry;
import dev.wizmesh.registry.core.LeaseSweeper;
import dev.wizmesh.registry.core.SelfPreservation;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The registry's own metrics, read from its state at scrape time: instances by service and
 * status, heartbeats, expirations, watch streams, blocking queries, self-preservation.
 */
final class RegistryMetrics {
    private RegistryMetrics() {
    }

    static void register(PrometheusRegistry prometheus, InstanceRegistry registry, LeaseSweeper sweeper,
                         SelfPreservation selfPreservation, WatchHub watches, BlockingQueries blocking) {
        GaugeWithCallback.builder().name("registry_instances")
                .help("Registered instances, by service and status")
                .labelNames("service", "status")
                .callback(cb -> registry.summary().forEach((service, counts) ->
                        counts.forEach((status, n) -> cb.call(n, service, status.name()))))
                .register(prometheus);
        CounterWithCallback.builder().name("registry_heartbeats_total")
                .help("Heartbeats received (lease renewals)")
                .callback(cb -> cb.call(registry.heartbeatCount()))
                .register(prometheus);
        CounterWithCallback.builder().name("registry_expirations_total")
                .help("Instances removed because their lease lapsed")
                .callback(cb -> cb.call(sweeper.expirations()))
                .register(prometheus);
        GaugeWithCallback.builder().name("registry_watch_streams")
                .help("Watch (SSE) streams open")
                .callback(cb -> cb.call(watches.openStreams()))
                .register(prometheus);
        GaugeWithCallback.builder().name("registry_blocking_queries")
                .help("Blocking queries waiting for a change")
                .callback(cb -> cb.call(blocking.waiting()))
                .register(prometheus);
        GaugeWithCallback.builder().name("registry_self_preservation")
                .help("1 while self-preservation stops lease expiry (the registry may have lost its network)")
                .callback(cb -> cb.call(selfPreservation.isEngaged() ? 1 : 0))
                .register(prometheus);
        GaugeWithCallback.builder().name("registry_index")
                .help("The registry-wide change index")
                .callback(cb -> cb.call(registry.index()))
                .register(prometheus);
    }
}
