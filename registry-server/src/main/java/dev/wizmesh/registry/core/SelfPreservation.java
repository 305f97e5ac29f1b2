package dev.wizmesh.registry.core;

import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells "the registry lost its network" from "instances really went away".
 *
 * <p>Eureka stops expiring leases when renewals fall below 85 % of those expected, so it cannot
 * tell a network failure from a big scale-down: scale 100 instances down to 10 and the 90 dead
 * ones stay listed. The signal used here is whether anyone is still heartbeating: when the
 * registry is cut off, heartbeats stop from (nearly) everyone at once; when 90 of 100 are shut
 * down, the other 10 keep renewing. So: engaged when fewer than {@code renewingShareThreshold} of
 * the instances renewed within the last window (1.5 heartbeat intervals, shorter than the lease
 * TTL so it engages before the first lease lapses), with at least {@code minInstances}
 * registered. Released as soon as heartbeats flow again, and then every lease is renewed so the
 * survivors get a whole TTL to send theirs.
 *
 * <p>The price: if every instance of a small system really dies at once, they stay listed (as
 * in Eureka) until heartbeats resume; session tracking still marks them DOWN.
 */
public class SelfPreservation {
    private static final Logger LOG = LoggerFactory.getLogger(SelfPreservation.class);

    private final double renewingShareThreshold;
    private final int minInstances;
    private final long windowMillis;
    private final boolean enabled;
    private volatile boolean engaged;
    private volatile double lastRenewingShare = 1.0;

    public SelfPreservation(boolean enabled, double renewingShareThreshold, int minInstances, long windowMillis) {
        this.enabled = enabled;
        this.renewingShareThreshold = renewingShareThreshold;
        this.minInstances = minInstances;
        this.windowMillis = windowMillis;
    }

    /**
     * Re-evaluates from the current leases; returns true when it just disengaged (the caller
     * then renews every lease).
     */
    public boolean evaluate(Collection<Registration> registrations, long now) {
        int total = registrations.size();
        int renewing = 0;
        for (Registration r : registrations) {
            if (now - r.lastRenewalMillis() <= windowMillis) {
                renewing++;
            }
        }
        lastRenewingShare = total == 0 ? 1.0 : (double) renewing / total;
        boolean shouldEngage = enabled && total >= minInstances && lastRenewingShare < renewingShareThreshold;
        if (shouldEngage && !engaged) {
            engaged = true;
            LOG.warn("self-preservation ON: only {} of {} instances renewed in the last {} ms; "
                    + "the registry may have lost its network, so no lease will expire until heartbeats resume",
                    renewing, total, windowMillis);
            return false;
        }
        if (!shouldEngage && engaged) {
            engaged = false;
            LOG.warn("self-preservation OFF: {} of {} instances are renewing again", renewing, total);
            return true;
        }
        return false;
    }

    public boolean isEngaged() {
        return engaged;
    }

    public double lastRenewingShare() {
        return lastRenewingShare;
    }
}
