package dev.wizmesh.platform.metrics;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.setup.Environment;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The service's Prometheus registry, served in the text format at {@code /metrics/prometheus}
 * on the admin port. It holds our own metrics (Prometheus naming, base units), the JVM metrics
 * of client_java, and every Dropwizard metric bridged in (Jetty, Jersey, health, ...), except
 * Dropwizard's JVM gauges, which the JVM metrics already cover under their standard names.
 */
public final class PrometheusMetrics {
    public static final String PATH = "/metrics/prometheus";

    private final PrometheusRegistry registry = new PrometheusRegistry();

    public PrometheusMetrics(MetricRegistry dropwizard) {
        JvmMetrics.builder().register(registry);
        DropwizardExports.builder()
                .dropwizardRegistry(dropwizard)
                .metricFilter((name, metric) -> !name.startsWith("jvm."))
                .register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    public void serveOnAdmin(Environment environment) {
        environment.admin().addServlet("prometheus", new PrometheusMetricsServlet(registry)).addMapping(PATH);
    }
}
