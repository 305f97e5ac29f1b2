package dev.wizmesh.grpc.server;

import io.grpc.BindableService;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The standard gRPC health service ({@code grpc.health.v1.Health}, what grpc_health_probe,
 * Kubernetes' gRPC probes and Envoy ask), tied to the app: SERVING while the app is ready (its
 * readiness checks, re-run every {@code healthRefresh}), NOT_SERVING when they fail, and
 * NOT_SERVING for good from the moment shutdown begins. Answers for the whole server (service
 * {@code ""}) and for each service it serves by name.
 */
public class GrpcHealth {
    private final HealthStatusManager manager = new HealthStatusManager();
    private final List<String> services;
    private final BooleanSupplier readiness;
    private final long refreshMillis;
    private ScheduledExecutorService refresher;
    private volatile boolean shuttingDown;

    GrpcHealth(List<String> services, BooleanSupplier readiness, long refreshMillis) {
        this.services = services;
        this.readiness = readiness;
        this.refreshMillis = refreshMillis;
        set(ServingStatus.NOT_SERVING);
    }

    BindableService service() {
        return manager.getHealthService();
    }

    synchronized void start() {
        refresh();
        if (refreshMillis > 0 && refresher == null) {
            refresher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "grpc-health");
                t.setDaemon(true);
                return t;
            });
            refresher.scheduleWithFixedDelay(this::refresh, refreshMillis, refreshMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Shutdown has begun: NOT_SERVING from now on, whatever the checks say. */
    synchronized void shuttingDown() {
        if (shuttingDown) {
            return;
        }
        shuttingDown = true;
        if (refresher != null) {
            refresher.shutdownNow();
        }
        manager.enterTerminalState();
    }

    private synchronized void refresh() {
        if (shuttingDown) {
            return;
        }
        boolean ready;
        try {
            ready = readiness.getAsBoolean();
        } catch (RuntimeException e) {
            ready = false;
        }
        set(ready ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    }

    private void set(ServingStatus status) {
        manager.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
        for (String service : services) {
            manager.setStatus(service, status);
        }
    }
}
