package dev.wizmesh.grpc.server;

import io.dropwizard.lifecycle.Managed;
import io.grpc.Server;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's gRPC server as a Dropwizard managed object.
 *
 * <p>Start: binds (port 0 picks a free port: {@link #port()} is the real one, registered in the
 * registry as the instance's {@code grpcPort}) and turns health SERVING. Managed objects start
 * before Jetty opens its connectors, so the port is known by the time the app registers.
 *
 * <p>Stop, in two steps:
 * <ol>
 *   <li>{@link #beginShutdown()}, when the app begins to stop (with readiness and registry
 *       deregistration): health NOT_SERVING. Calls are still served, so peers that have not yet
 *       seen the deregistration do not fail while they move away.</li>
 *   <li>{@link #stop()}, after Jetty has drained: stop accepting calls (GOAWAY: clients move to
 *       other instances), let calls in flight finish within {@code shutdownGracePeriod}, then
 *       cancel what is left ({@code shutdownNow}).</li>
 * </ol>
 */
public class GrpcServer implements Managed, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcServer.class);
    private final Server server;
    private final GrpcHealth health;
    private final long gracePeriodNanos;
    private volatile boolean started;

    GrpcServer(Server server, GrpcHealth health, long gracePeriodNanos) {
        this.server = server;
        this.health = health;
        this.gracePeriodNanos = gracePeriodNanos;
    }

    @Override
    public void start() throws IOException {
        server.start();
        started = true;
        health.start();
        LOG.info("gRPC server listening on port {}", server.getPort());
    }

    /** The port bound; only known once started. */
    public int port() {
        if (!started) {
            throw new IllegalStateException("the gRPC server has not started yet: its port is not bound");
        }
        return server.getPort();
    }

    /** Shutdown has begun: health NOT_SERVING; calls are still served until {@link #stop()}. */
    public void beginShutdown() {
        health.shuttingDown();
    }

    @Override
    public void stop() throws InterruptedException {
        beginShutdown();
        server.shutdown();
        if (!server.awaitTermination(gracePeriodNanos, TimeUnit.NANOSECONDS)) {
            LOG.warn("gRPC calls still running after the grace period; cancelling them");
            server.shutdownNow();
            server.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
    }
}
