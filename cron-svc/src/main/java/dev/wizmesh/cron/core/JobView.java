package dev.wizmesh.cron.core;

import java.time.Instant;
import java.util.Map;

/**
 * A job as the API shows it: its definition, and what the scheduler says of it now.
 *
 * @param state            NORMAL (waiting for its next fire), PAUSED, BLOCKED (a run is going on), ERROR
 * @param nextFireTime     null when paused
 * @param previousFireTime null before its first fire
 */
public record JobView(String name, String type, String cron, String timeZone, Map<String, Object> params,
                      MisfirePolicy misfirePolicy, int catchUpLimit, boolean enabled, int maxAttempts,
                      int retryDelaySeconds, Exclusivity exclusive, String description, String state,
                      Instant nextFireTime, Instant previousFireTime) {
    /** The definition alone, as it was given. */
    public JobSpec definition() {
        return new JobSpec(name, type, cron, timeZone, params, misfirePolicy, catchUpLimit, enabled, maxAttempts,
                retryDelaySeconds, exclusive, description);
    }
}
