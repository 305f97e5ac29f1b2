package dev.wizmesh.gateway.proxy;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The gateway's own metrics, on the platform's Prometheus registry ({@code /metrics/prometheus}
 * on the admin port). Labels are route ids and service names from the YAML, never raw paths,
 * so a scanner cannot grow the label set; a request that matched no route is {@code UNMATCHED}.
 *
 * <ul>
 *   <li>{@code gateway_requests_total{route,service,status}}: every answer, by status code;</li>
 *   <li>{@code gateway_request_duration_seconds{route}}: from the request to its last byte;</li>
 *   <li>{@code gateway_upstream_attempts_total{service,outcome}}: each try at an upstream,
 *       by outcome ({@code ok}, {@code 5xx}, {@code not_sent}, {@code stale_connection},
 *       {@code timeout}, {@code failed}, {@code body_too_large}), retries included.</li>
 * </ul>
 */
public final class ProxyMetrics {
    public static final String UNMATCHED = "UNMATCHED";
    public static final String NO_SERVICE = "none";

    private final Counter requests;
    private final Histogram duration;
    private final Counter attempts;

    private final dev.wizmesh.platform.metrics.HttpServerMetrics http;

    /**
     * @param http the platform's {@code http_server_*} metrics, which every app exposes; the
     *             proxy records there too (route = the route id), since Jersey does not see its requests
     */
    public ProxyMetrics(PrometheusRegistry registry, dev.wizmesh.platform.metrics.HttpServerMetrics http) {
        this.http = http;
        requests = Counter.builder().name("gateway_requests_total")
                .help("Requests answered by the gateway, by route, upstream service and status code")
                .labelNames("route", "service", "status").register(registry);
        duration = Histogram.builder().name("gateway_request_duration_seconds")
                .help("Time from receiving a request to sending its last byte, by route")
                .labelNames("route").register(registry);
        attempts = Counter.builder().name("gateway_upstream_attempts_total")
                .help("Attempts to call an upstream instance, retries included, by service and outcome")
                .labelNames("service", "outcome").register(registry);
    }

    public void request(String method, String route, String service, int status, double seconds) {
        if (http != null) {
            http.record(method, route, status, seconds);
        }
        requests.labelValues(route, service, Integer.toString(status)).inc();
        duration.labelValues(route).observe(seconds);
    }

    public void attempt(String service, AttemptResult result) {
        String outcome = switch (result.outcome()) {
            case RESPONSE -> result.status() >= 500 ? "5xx" : "ok";
            default -> result.outcome().name().toLowerCase(java.util.Locale.ROOT);
        };
        attempts.labelValues(service, outcome).inc();
    }
}
