package dev.wizmesh.platform;

import dev.wizmesh.platform.context.RequestContextFilter;
import dev.wizmesh.platform.errors.ApiExceptionMapper;
import dev.wizmesh.platform.errors.JsonErrorHandler;
import dev.wizmesh.platform.errors.JsonExceptionMapper;
import dev.wizmesh.platform.errors.UnexpectedExceptionMapper;
import dev.wizmesh.platform.errors.ValidationExceptionMapper;
import dev.wizmesh.platform.errors.WebApplicationExceptionMapper;
import dev.wizmesh.platform.health.HealthChecks;
import dev.wizmesh.platform.health.HealthProbeServlet;
import dev.wizmesh.platform.health.Probe;
import com.codahale.metrics.health.jvm.ThreadDeadlockHealthCheck;
import dev.wizmesh.platform.health.ShutdownState;
import dev.wizmesh.platform.metrics.HttpServerMetrics;
import dev.wizmesh.platform.metrics.PrometheusMetrics;
import dev.wizmesh.platform.requestid.RequestIdFilter;
import dev.wizmesh.platform.tracing.HttpRouteListener;
import dev.wizmesh.platform.tracing.HttpServerTracingFilter;
import dev.wizmesh.platform.tracing.Tracing;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.ConfiguredBundle;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.util.EnumSet;

/**
 * What every wizmesh service gets by adding one line, {@code bootstrap.addBundle(new
 * PlatformBundle<>())}: {@code ${ENV:-default}} in its YAML, request ids, the one error shape,
 * the caller's tenant context, logs with request and trace ids, Prometheus metrics, an
 * OpenTelemetry server span per request, health probes and a clean shutdown.
 *
 * <p>Each concern lives in its own package; this class only wires them, in this order per
 * request: request id, then the server span, then the caller context, then Jersey.
 */
public class PlatformBundle<T extends ServiceConfiguration> implements ConfiguredBundle<T> {
    private final ShutdownState shutdownState = new ShutdownState();
    private Tracing tracing;
    private PrometheusMetrics metrics;
    private HttpServerMetrics httpMetrics;
    private HealthChecks healthChecks;

    @Override
    public void initialize(Bootstrap<?> bootstrap) {
        // strict: a ${VAR} with no default and no value fails start-up, naming the variable
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(true)));
        // times as ISO-8601 text ("2026-11-23T10:15:30.123Z"), never epoch numbers; a body with a
        // field the endpoint does not know is refused (400 MALFORMED_JSON naming it), not ignored,
        // so a misspelt "quantty" cannot silently fall back to a default
        bootstrap.getObjectMapper()
                .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    @Override
    public void run(T configuration, Environment environment) {
        if (configuration.getServerFactory() instanceof AbstractServerFactory server) {
            // ours replace Dropwizard's mappers, whose bodies are not in the wizmesh shape
            server.setRegisterDefaultExceptionMappers(false);
        }

        tracing = new Tracing(configuration.getTracing().build(environment.getName()));
        environment.lifecycle().manage(tracing);

        addFilter(environment, "request-id", new RequestIdFilter());
        addFilter(environment, "http-server-tracing", new HttpServerTracingFilter(tracing.openTelemetry()));
        addFilter(environment, "request-context", new RequestContextFilter(environment.getObjectMapper()));

        environment.jersey().register(new ApiExceptionMapper());
        environment.jersey().register(new ValidationExceptionMapper());
        environment.jersey().register(new JsonExceptionMapper());
        environment.jersey().register(new WebApplicationExceptionMapper());
        environment.jersey().register(new UnexpectedExceptionMapper());
        environment.jersey().register(new HttpRouteListener());
        // @Member / @Admin on resource methods: 401/403 before the body is read
        environment.jersey().register(new dev.wizmesh.platform.context.CallerChecks());

        metrics = new PrometheusMetrics(environment.metrics());
        metrics.serveOnAdmin(environment);
        httpMetrics = new HttpServerMetrics(metrics.registry());
        environment.jersey().register(httpMetrics);

        JsonErrorHandler jettyErrors = new JsonErrorHandler(environment.getObjectMapper());
        environment.getApplicationContext().setErrorHandler(jettyErrors);
        environment.lifecycle().addServerLifecycleListener(server -> {
            server.setErrorHandler(jettyErrors);
            server.addEventListener(shutdownState);
        });
        healthChecks = new HealthChecks(environment.healthChecks(), shutdownState);
        // a deadlocked JVM will not recover by itself: the one check that makes a service not alive
        healthChecks.register("deadlocks", new ThreadDeadlockHealthCheck(), Probe.LIVENESS, true);
        environment.admin().addServlet("health-probes", new HealthProbeServlet(healthChecks, environment.getObjectMapper()))
                .addMapping("/health-check", "/health/alive", "/health/ready");
        // admin tasks (/tasks/*) that refuse bad input answer 400, not Dropwizard's 500 with a stack trace
        dev.wizmesh.platform.tasks.TaskErrorFilter.install(environment);
    }

    private static void addFilter(Environment environment, String name, Filter filter) {
        environment.servlets().addFilter(name, filter)
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
    }

    /** The service's OpenTelemetry, for client spans (HTTP, gRPC, JDBI) below its resources. */
    public Tracing tracing() {
        return tracing;
    }

    /** The Prometheus registry the service adds its own metrics to. */
    public PrometheusMetrics metrics() {
        return metrics;
    }

    /** The HTTP server metrics, for requests served outside Jersey. */
    public HttpServerMetrics httpMetrics() {
        return httpMetrics;
    }

    /** Where the service registers its dependencies' health checks. */
    public HealthChecks healthChecks() {
        return healthChecks;
    }

    public ShutdownState shutdownState() {
        return shutdownState;
    }
}
