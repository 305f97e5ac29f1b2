package dev.wizmesh.platform.metrics;

import dev.wizmesh.platform.tracing.RouteTemplates;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;

/**
 * RED metrics for the service's HTTP API, labelled by route template (never the raw path),
 * method and status class:
 * {@code http_server_requests_total}, {@code http_server_request_duration_seconds} and
 * {@code http_server_active_requests}.
 */
public class HttpServerMetrics implements ApplicationEventListener {
    private final Counter requests;
    private final Histogram duration;
    private final Gauge active;

    public HttpServerMetrics(PrometheusRegistry registry) {
        requests = Counter.builder().name("http_server_requests_total")
                .help("HTTP requests served, by route template, method and status class")
                .labelNames("method", "route", "status")
                .register(registry);
        duration = Histogram.builder().name("http_server_request_duration_seconds")
                .help("Time to serve an HTTP request, by route template, method and status class")
                .unit(Unit.SECONDS)
                .classicOnly()
                .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .labelNames("method", "route", "status")
                .register(registry);
        active = Gauge.builder().name("http_server_active_requests")
                .help("HTTP requests being served now, by method")
                .labelNames("method")
                .register(registry);
    }

    /**
     * Records one served request. Jersey's requests are recorded by this listener; an app that
     * serves some paths without Jersey (the gateway's proxy servlet) calls it itself, so every
     * app exposes the same metrics.
     */
    public void record(String method, String route, int status, double seconds) {
        String statusClass = (status / 100) + "xx";
        requests.labelValues(method, route, statusClass).inc();
        duration.labelValues(method, route, statusClass).observe(seconds);
    }

    @Override
    public void onEvent(ApplicationEvent event) {
    }

    @Override
    public RequestEventListener onRequest(RequestEvent start) {
        long startNanos = System.nanoTime();
        String method = start.getContainerRequest().getMethod();
        active.labelValues(method).inc();
        return event -> {
            if (event.getType() == RequestEvent.Type.FINISHED) {
                active.labelValues(method).dec();
                int status = event.getContainerResponse() == null ? 500 : event.getContainerResponse().getStatus();
                record(method, RouteTemplates.of(event.getUriInfo()), status, (System.nanoTime() - startNanos) / 1e9);
            }
        };
    }
}
