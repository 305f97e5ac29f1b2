package dev.wizmesh.registry;

import com.codahale.metrics.health.HealthCheck;
import dev.wizmesh.platform.PlatformBundle;
import dev.wizmesh.registry.api.HeartbeatFastPath;
import dev.wizmesh.registry.api.InstanceResource;
import dev.wizmesh.registry.api.LeasePolicy;
import dev.wizmesh.registry.api.ServiceResource;
import dev.wizmesh.registry.api.WatchHub;
import dev.wizmesh.registry.api.WatchServlet;
import dev.wizmesh.registry.api.WriteTokenFilter;
import dev.wizmesh.registry.core.ActiveHealthChecker;
import dev.wizmesh.registry.core.BlockingQueries;
import dev.wizmesh.registry.core.Clock;
import dev.wizmesh.registry.core.EventLog;
import dev.wizmesh.registry.core.InstanceRegistry;
import dev.wizmesh.registry.core.LeaseSweeper;
import dev.wizmesh.registry.core.SelfPreservation;
import dev.wizmesh.registry.core.SessionTracker;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;

/**
 * The service registry: instances register with heartbeat leases, callers list them or watch
 * them change. State is soft (in memory, rebuilt by the clients' re-registrations after a
 * restart). See docs/registry.md.
 */
public class RegistryApplication extends Application<RegistryConfiguration> {
    private final PlatformBundle<RegistryConfiguration> platform = new PlatformBundle<>();
    private InstanceRegistry registry;
    private SelfPreservation selfPreservation;
    private WatchHub watches;

    public static void main(String[] args) throws Exception {
        new RegistryApplication().run(args);
    }

    @Override
    public String getName() {
        return "registry-server";
    }

    @Override
    public void initialize(Bootstrap<RegistryConfiguration> bootstrap) {
        bootstrap.addBundle(platform);
    }

    @Override
    public void run(RegistryConfiguration configuration, Environment environment) {
        RegistryFactory config = configuration.getRegistry();
        long ttl = config.leaseTtl.toMilliseconds();
        long heartbeat = config.heartbeatInterval.toMilliseconds();

        // after a restart, instances come back with their next heartbeat (±10 % jitter, plus the
        // re-registration call): two intervals from the moment the server takes requests
        registry = new InstanceRegistry(Clock.SYSTEM, new EventLog(config.eventHistory), heartbeat * 2);
        environment.lifecycle().addServerLifecycleListener(server -> registry.startWarmUp());
        selfPreservation = new SelfPreservation(config.selfPreservation.enabled,
                config.selfPreservation.renewingShareThreshold, config.selfPreservation.minInstances, heartbeat * 3 / 2);
        LeaseSweeper sweeper = new LeaseSweeper(registry, selfPreservation, config.sweepInterval.toMilliseconds());
        SessionTracker sessions = new SessionTracker(registry, config.sessionGrace.toMilliseconds());
        ActiveHealthChecker healthChecker = new ActiveHealthChecker(registry);
        BlockingQueries blocking = new BlockingQueries(registry);
        watches = new WatchHub(registry, sessions, environment.getObjectMapper(), config.watchKeepAlive.toMilliseconds(),
                config.sessionProbeInterval.toMilliseconds(), config.watcherQueue);
        // stopped in reverse: watches first (their sessions end), then the trackers they report to
        environment.lifecycle().manage(sweeper);
        environment.lifecycle().manage(sessions);
        environment.lifecycle().manage(healthChecker);
        environment.lifecycle().manage(watches);
        // open streams and waiting queries would hold Jetty's graceful stop for the whole grace
        // period: end them as soon as shutdown begins
        platform.shutdownState().onStopping(watches::closeAll);
        platform.shutdownState().onStopping(blocking::releaseAll);

        // renewed heartbeats are left out of the access log before its event is built; Dropwizard
        // adds the handler its access log needs only when it recognises the log's own class
        if (configuration.getServerFactory() instanceof AbstractServerFactory server
                && server.getRequestLogFactory() instanceof SkipRenewedHeartbeatsRequestLogFactory) {
            SkipRenewedHeartbeatsRequestLogFactory.installOn(environment.getApplicationContext());
        }
        // ahead of every platform filter and of Jersey: renews and answers 200, or passes the call on
        environment.servlets().addFilter("heartbeat-fast-path", new HeartbeatFastPath(registry, config.auth.token))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/v1/services/*");
        environment.jersey().register(new WriteTokenFilter(config.auth.token, config.auth.protectReads));
        environment.jersey().register(new InstanceResource(registry,
                new LeasePolicy(ttl, heartbeat, config.minLeaseTtl.toMilliseconds(), config.maxLeaseTtl.toMilliseconds())));
        environment.jersey().register(new ServiceResource(registry, blocking, config.maxBlockingWait.toMilliseconds()));
        // a servlet, not Jersey: every change goes to every stream (see WatchServlet)
        var watch = environment.servlets().addServlet("watch",
                new WatchServlet(watches, config.auth.token, config.auth.protectReads, environment.getObjectMapper()));
        watch.setAsyncSupported(true);
        watch.addMapping("/v1/watch");

        platform.healthChecks().nonCritical("self-preservation", new HealthCheck() {
            @Override
            protected Result check() {
                return selfPreservation.isEngaged()
                        ? Result.unhealthy("self-preservation is ON: only %.0f%% of instances are renewing; leases are not expiring",
                                selfPreservation.lastRenewingShare() * 100)
                        : Result.healthy("%d instances, %.0f%% renewing", registry.size(), selfPreservation.lastRenewingShare() * 100);
            }
        });
        RegistryMetrics.register(platform.metrics().registry(), registry, sweeper, selfPreservation, watches, blocking);
    }

    /** The live registry, for tests. */
    public InstanceRegistry registry() {
        return registry;
    }

    public SelfPreservation selfPreservation() {
        return selfPreservation;
    }

    /** The watch streams, for tests. */
    public WatchHub watches() {
        return watches;
    }
}
