package dev.wizmesh.platform.health;

import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Knows when the server has begun to stop, so readiness turns false at once: load balancers and
 * the registry stop sending new work while in-flight requests drain for the grace period.
 */
public class ShutdownState implements LifeCycle.Listener {
    private final AtomicBoolean shuttingDown = new AtomicBoolean();

    public boolean isShuttingDown() {
        return shuttingDown.get();
    }

    @Override
    public void lifeCycleStopping(LifeCycle event) {
        shuttingDown.set(true);
    }
}
