package dev.wizmesh.registry.core;

import io.dropwizard.lifecycle.Managed;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session liveness: each instance's client holds a watch stream open, naming itself. A killed
 * process (SIGKILL, OOM, power cut of a container while the host stays up) never deregisters,
 * but its kernel closes its sockets, so the stream breaks at once. Waiting a whole lease TTL
 * (30 s here, 90 s in Eureka) would keep sending callers to a dead instance; instead, when the
 * stream closes without a deregister, the instance is marked DOWN after a short grace (500 ms by
 * default, enough for a client that merely reconnects its stream), so every watcher drops it
 * within a second. It is removed after its TTL unless it comes back. ZooKeeper ephemeral
 * nodes and Nacos' gRPC connections do the same.
 */
public class SessionTracker implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(SessionTracker.class);

    private final InstanceRegistry registry;
    private final long graceMillis;
    /**
     * Open session streams per instance. A client that reconnects opens its new stream before
     * the registry has noticed the old one break, so "a stream closed" alone does not mean
     * "the session is gone": only the last one closing does.
     */
    private final java.util.Map<String, Integer> openStreams = new java.util.HashMap<>();
    private ScheduledExecutorService scheduler;

    public SessionTracker(InstanceRegistry registry, long graceMillis) {
        this.registry = registry;
        this.graceMillis = graceMillis;
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "session-tracker"));
    }

    @Override
    public void stop() {
        scheduler.shutdownNow();
    }

    /** The instance's client (re)opened its session stream: a pending loss is forgiven. */
    public void sessionOpened(String service, String id) {
        synchronized (openStreams) {
            openStreams.merge(service + "/" + id, 1, Integer::sum);
        }
        registry.restoreSession(service, id);
    }

    /** The stream closed without a deregister: DOWN after the grace, unless it comes back. */
    public void sessionClosed(String service, String id) {
        synchronized (openStreams) {
            Integer left = openStreams.computeIfPresent(service + "/" + id, (k, n) -> n > 1 ? n - 1 : null);
            if (left != null) {
                return; // another stream of this instance is still open
            }
        }
        if (registry.find(service, id).isEmpty()) {
            return; // it deregistered: nothing to do
        }
        registry.markSessionLost(service, id);
        if (scheduler.isShutdown()) {
            return; // the registry itself is stopping
        }
        scheduler.schedule(() -> markDownIfStillLost(service, id), graceMillis, TimeUnit.MILLISECONDS);
    }

    private void markDownIfStillLost(String service, String id) {
        synchronized (openStreams) {
            if (openStreams.containsKey(service + "/" + id)) {
                return; // it reconnected within the grace
            }
        }
        if (registry.markDownIfSessionStillLost(service, id)) {
            LOG.info("{}/{} lost its session {} ms ago: marked it DOWN", service, id, graceMillis);
        }
    }
}
