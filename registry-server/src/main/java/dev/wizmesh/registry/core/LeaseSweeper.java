package dev.wizmesh.registry.core;

import io.dropwizard.lifecycle.Managed;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expires instances whose lease lapsed (no heartbeat within their TTL), every sweep interval,
 * unless {@link SelfPreservation} says the registry itself is cut off.
 */
public class LeaseSweeper implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseSweeper.class);

    private final InstanceRegistry registry;
    private final SelfPreservation selfPreservation;
    private final long intervalMillis;
    private final LongAdder expirations = new LongAdder();
    private ScheduledExecutorService scheduler;

    public LeaseSweeper(InstanceRegistry registry, SelfPreservation selfPreservation, long intervalMillis) {
        this.registry = registry;
        this.selfPreservation = selfPreservation;
        this.intervalMillis = intervalMillis;
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "lease-sweeper"));
        scheduler.scheduleWithFixedDelay(this::sweepSafely, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        scheduler.shutdownNow();
    }

    private void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.error("lease sweep failed; retrying next interval", e);
        }
    }

    /** One sweep; public so tests can drive it with a fake clock. */
    public void sweep() {
        long now = registry.clock().millis();
        if (selfPreservation.evaluate(registry.registrations(), now)) {
            registry.renewAll();
            return;
        }
        if (selfPreservation.isEngaged()) {
            return;
        }
        for (Registration r : registry.registrations()) {
            if (r.leaseLapsed(now) && registry.expireIfLapsed(r.instance().service(), r.instance().id())) {
                expirations.increment();
                LOG.info("expired {}/{}: no heartbeat within its {} ms TTL", r.instance().service(), r.instance().id(), r.leaseTtlMillis());
            }
        }
    }

    public long expirations() {
        return expirations.sum();
    }
}
