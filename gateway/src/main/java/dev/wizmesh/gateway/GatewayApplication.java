package dev.wizmesh.gateway;

import dev.wizmesh.gateway.canary.CanaryFilter;
import dev.wizmesh.gateway.proxy.ProxyFilter;
import dev.wizmesh.gateway.proxy.RetryDecider;
import dev.wizmesh.gateway.ratelimit.RateLimitFactory;
import dev.wizmesh.gateway.ratelimit.RateLimitFilter;
import dev.wizmesh.gateway.ratelimit.RateLimiter;
import dev.wizmesh.gateway.resilience.CircuitBreakerFilter;
import dev.wizmesh.gateway.resilience.CircuitBreakerServlet;
import dev.wizmesh.gateway.resilience.CircuitBreakers;
import dev.wizmesh.gateway.resilience.PolicyRetry;
import dev.wizmesh.discovery.Discovery;
import dev.wizmesh.discovery.balancer.InstanceChooser;
import dev.wizmesh.discovery.balancer.InstanceFilters;
import dev.wizmesh.gateway.auth.Authenticator;
import dev.wizmesh.gateway.edge.CorsFactory;
import dev.wizmesh.gateway.proxy.ForwardedHeaders;
import dev.wizmesh.gateway.proxy.IdentityHeaderGuard;
import dev.wizmesh.gateway.proxy.ProxyFactory;
import dev.wizmesh.gateway.proxy.ProxyMetrics;
import dev.wizmesh.gateway.proxy.ProxyServlet;
import dev.wizmesh.gateway.proxy.StaleConnectionRetry;
import dev.wizmesh.gateway.proxy.TrustedProxies;
import dev.wizmesh.gateway.proxy.Upstreams;
import dev.wizmesh.gateway.route.ConfigFileRoutes;
import dev.wizmesh.gateway.route.LiveRoutes;
import dev.wizmesh.gateway.route.RouteCheck;
import dev.wizmesh.gateway.route.RouteReloadTask;
import dev.wizmesh.gateway.route.RouteTable;
import dev.wizmesh.gateway.route.RoutesFactory;
import dev.wizmesh.platform.PlatformBundle;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletRegistration;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;

/**
 * The API gateway: the one front door, proxying to services found in the registry.
 *
 * <p>The application port has no Jersey: one servlet ({@link ProxyServlet}) takes every path,
 * behind the platform's filters (request id, server span) and two of the gateway's own:
 * {@link IdentityHeaderGuard} first of all, and CORS. The admin port has the platform's
 * endpoints plus {@code POST /tasks/reload-routes}.
 */
public class GatewayApplication extends Application<GatewayConfiguration> {
    private final PlatformBundle<GatewayConfiguration> platform = new PlatformBundle<>();
    private final Authenticator authenticator;
    private ConfigFileRoutes.Remembering configSource;
    private Discovery discovery;
    private LiveRoutes routes;
    private RateLimiter rateLimiter;
    private CircuitBreakers breakers;

    public static void main(String[] args) throws Exception {
        new GatewayApplication().run(args);
    }

    /** Without an authenticator every {@code auth: required} route answers 401 (the JWT one is wired in by the auth work). */
    public GatewayApplication() {
        this(null);
    }

    public GatewayApplication(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    /** Where this app finds other services (and its own registration), for tests. */
    public Discovery discovery() {
        return discovery;
    }

    /** The routes in use, for tests. */
    public LiveRoutes routes() {
        return routes;
    }

    @Override
    public String getName() {
        return "gateway";
    }

    @Override
    public void initialize(Bootstrap<GatewayConfiguration> bootstrap) {
        bootstrap.addBundle(platform);
        // after the bundle's substituting provider, so a reload reads the file exactly as start-up did
        configSource = new ConfigFileRoutes.Remembering(bootstrap.getConfigurationSourceProvider());
        bootstrap.setConfigurationSourceProvider(configSource);
    }

    @Override
    public void run(GatewayConfiguration configuration, Environment environment) {
        discovery = configuration.getDiscovery().build(environment, platform);
        ProxyFactory proxy = configuration.getProxy();

        RouteCheck check = routeCheck(configuration);
        routes = new LiveRoutes(buildRoutes(configuration.getRoutes(), proxy, check));
        ConfigFileRoutes<GatewayConfiguration> file = new ConfigFileRoutes<>(configSource, GatewayConfiguration.class,
                environment.getObjectMapper(), environment.getValidator(), GatewayConfiguration::getRoutes);
        environment.admin().addTask(new RouteReloadTask(file::read, list -> buildRoutes(list, proxy, check), routes));

        HttpClient client = proxy.buildClient();
        environment.lifecycle().manage(ProxyFactory.managed(client));
        // one chooser per service: UP instances, passive ejection, the configured balancer
        Upstreams upstreams = new Upstreams(discovery.instances(), service -> new InstanceChooser(
                InstanceFilters.up(), proxy.outlierDetection.build(), proxy.loadBalancer.build()));

        CorsFactory cors = configuration.getCors();
        ProxyServlet servlet = new ProxyServlet(routes, upstreams, client,
                new ForwardedHeaders(new TrustedProxies(proxy.trustedProxies)),
                pipeline(configuration, environment),
                new ProxyMetrics(platform.metrics().registry(), platform.httpMetrics()),
                platform.tracing().openTelemetry(), environment.getObjectMapper(),
                cors.enabled, proxy.exchangeIdleTimeout.toJavaDuration());

        environment.jersey().disable();   // the proxy servlet answers every path
        ServletRegistration.Dynamic registration = environment.servlets().addServlet("proxy", servlet);
        registration.setAsyncSupported(true);
        registration.addMapping("/*");

        // before the platform's filters (isMatchAfter = false): they must never see a client's X-Tenant-ID
        FilterRegistration.Dynamic guard = environment.servlets().addFilter("identity-header-guard", new IdentityHeaderGuard());
        guard.setAsyncSupported(true);
        guard.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        if (cors.enabled) {
            FilterRegistration.Dynamic corsFilter = environment.servlets().addFilter("cors",
                    cors.build().withMapper(environment.getObjectMapper()));
            corsFilter.setAsyncSupported(true);
            corsFilter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
        }
    }

    /**
     * What runs around each proxied request, in order: the authenticator (JWT → caller), then the
     * filters — retry bookkeeping, rate limit (429), canary (which version), circuit breaker (503
     * CIRCUIT_OPEN) — and the retry decision: the always-safe retry of a request the upstream
     * never saw, else the route's retry policy under the shared budget.
     */
    protected ProxyServlet.Pipeline pipeline(GatewayConfiguration configuration, Environment environment) {
        Authenticator auth = authenticator != null ? authenticator
                : configuration.getAuth().build(environment, platform, discovery.instances());
        rateLimiter = configuration.getRateLimits().build(environment, platform);
        breakers = configuration.getCircuitBreakers().build(platform.metrics().registry());
        environment.admin().addServlet("circuit-breakers", new CircuitBreakerServlet(breakers, environment.getObjectMapper()))
                .addMapping("/circuit-breakers");
        PolicyRetry retries = configuration.getRetries().build();
        List<ProxyFilter> filters = List.of(
                retries,
                new RateLimitFilter(rateLimiter, configuration.getRateLimits()),
                new CanaryFilter(),
                new CircuitBreakerFilter(breakers));
        RetryDecider decider = new StaleConnectionRetry(configuration.getProxy().staleConnectionRetries).or(retries);
        return new ProxyServlet.Pipeline(auth, filters, decider);
    }

    /** Every route's named rate-limit and retry policies must exist, at start-up and on reload. */
    protected RouteCheck routeCheck(GatewayConfiguration configuration) {
        RateLimitFactory limits = configuration.getRateLimits();
        return route -> {
            route.rateLimitPolicy().ifPresent(policy -> {
                if (!limits.policies.containsKey(policy)) {
                    throw new IllegalArgumentException("route " + route.id() + ": rateLimit " + policy
                            + " is not one of rateLimits.policies " + limits.policies.keySet());
                }
            });
            route.retryPolicy().ifPresent(policy -> {
                if (!configuration.getRetries().hasPolicy(policy)) {
                    throw new IllegalArgumentException("route " + route.id() + ": retry " + policy
                            + " is not one of retries.policies " + configuration.getRetries().policies.keySet());
                }
            });
        };
    }

    /** The circuit breakers, for tests. */
    public CircuitBreakers circuitBreakers() {
        return breakers;
    }

    private RouteTable buildRoutes(RoutesFactory list, ProxyFactory proxy, RouteCheck check) {
        return list.build(proxy.timeout.toJavaDuration(), proxy.maxBodySize.toBytes(), check);
    }
}
