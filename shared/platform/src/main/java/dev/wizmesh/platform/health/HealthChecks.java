package dev.wizmesh.platform.health;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a service registers the health of its dependencies. Every check also lands in
 * Dropwizard's registry, so the admin {@code /healthcheck} lists them all; here we add what that
 * page lacks: whether a check is critical, and which probe (liveness or readiness) it belongs to.
 * A non-critical check shows on the page but never makes the service unready.
 */
public class HealthChecks {
    private final HealthCheckRegistry registry;
    private final Map<String, Registration> registrations = new ConcurrentHashMap<>();
    private final ShutdownState shutdown;

    public HealthChecks(HealthCheckRegistry registry, ShutdownState shutdown) {
        this.registry = registry;
        this.shutdown = shutdown;
    }

    public record Registration(String name, HealthCheck check, Probe probe, boolean critical) {
    }

    /** A dependency the service cannot serve without (a database): critical for readiness. */
    public void critical(String name, HealthCheck check) {
        register(name, check, Probe.READINESS, true);
    }

    /** A dependency the service degrades without (a cache): shown, never blocks readiness. */
    public void nonCritical(String name, HealthCheck check) {
        register(name, check, Probe.READINESS, false);
    }

    public void register(String name, HealthCheck check, Probe probe, boolean critical) {
        registrations.put(name, new Registration(name, check, probe, critical));
        if (!registry.getNames().contains(name)) {
            registry.register(name, check);
        }
    }

    /** Runs the checks a probe needs (liveness: liveness checks; readiness: all of them). */
    public ProbeResult run(Probe probe) {
        SortedMap<String, CheckOutcome> outcomes = new TreeMap<>();
        boolean healthy = true;
        for (Registration r : registrations.values()) {
            if (probe == Probe.LIVENESS && r.probe() != Probe.LIVENESS) {
                continue;
            }
            HealthCheck.Result result = registry.runHealthCheck(r.name());
            outcomes.put(r.name(), new CheckOutcome(result.isHealthy(), r.critical(), result.getMessage()));
            healthy &= result.isHealthy() || !r.critical();
        }
        if (probe == Probe.READINESS && shutdown.isShuttingDown()) {
            outcomes.put("shutdown", new CheckOutcome(false, true, "the service is shutting down"));
            healthy = false;
        }
        return new ProbeResult(probe, healthy, outcomes);
    }

    public record CheckOutcome(boolean healthy, boolean critical, String message) {
    }

    public record ProbeResult(Probe probe, boolean healthy, SortedMap<String, CheckOutcome> checks) {
    }
}
