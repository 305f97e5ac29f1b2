package dev.wizmesh.gateway;

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

        routes = new LiveRoutes(buildRoutes(configuration.getRoutes(), proxy));
        ConfigFileRoutes<GatewayConfiguration> file = new ConfigFileRoutes<>(configSource, GatewayConfiguration.class,
                environment.getObjectMapper(), environment.getValidator(), GatewayConfiguration::getRoutes);
        environment.admin().addTask(new RouteReloadTask(file::read, list -> buildRoutes(list, proxy), routes));

        HttpClient client = proxy.buildClient();
        environment.lifecycle().manage(ProxyFactory.managed(client));
        // one chooser per service: UP instances, passive ejection, the configured balancer
        Upstreams upstreams = new Upstreams(discovery.instances(), service -> new InstanceChooser(
                InstanceFilters.up(), proxy.outlierDetection.build(), proxy.loadBalancer.build()));

        CorsFactory cors = configuration.getCors();
        ProxyServlet servlet = new ProxyServlet(routes, upstreams, client,
                new ForwardedHeaders(new TrustedProxies(proxy.trustedProxies)),
                pipeline(configuration, environment),
                new ProxyMetrics(platform.metrics().registry()),
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
     * What runs around each proxied request: the authenticator, the filters (rate limits,
     * circuit breakers, canary) and the retry decision. Today: the constructor's authenticator,
     * no filters, and only the always-safe retry of a request the upstream never saw.
     */
    protected ProxyServlet.Pipeline pipeline(GatewayConfiguration configuration, Environment environment) {
        return new ProxyServlet.Pipeline(authenticator, List.of(),
                new StaleConnectionRetry(configuration.getProxy().staleConnectionRetries));
    }

    /** What every route must pass besides its own syntax (policies exist, ...); none yet. */
    protected RouteCheck routeCheck() {
        return RouteCheck.NONE;
    }

    private RouteTable buildRoutes(RoutesFactory list, ProxyFactory proxy) {
        return list.build(proxy.timeout.toJavaDuration(), proxy.maxBodySize.toBytes(), routeCheck());
    }
}
