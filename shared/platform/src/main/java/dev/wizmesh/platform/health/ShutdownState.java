package dev.wizmesh.platform.health;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows when the server has begun to stop, so readiness turns false at once: load balancers and
 * the registry stop sending new work while in-flight requests drain for the grace period.
 */
public class ShutdownState implements LifeCycle.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownState.class);
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final List<Runnable> onStopping = new CopyOnWriteArrayList<>();

    /**
     * Runs {@code action} when shutdown begins, before the server waits for in-flight requests:
     * the place to deregister from the registry, or to end long-lived streams that would
     * otherwise hold the graceful stop open for the whole grace period.
     */
    public void onStopping(Runnable action) {
        onStopping.add(action);
    }

    public boolean isShuttingDown() {
        return shuttingDown.get();
    }

    @Override
    public void lifeCycleStopping(LifeCycle event) {
        if (shuttingDown.compareAndSet(false, true)) {
            for (Runnable action : onStopping) {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.warn("a shutdown action failed; stopping anyway", e);
                }
            }
        }
    }
}
