package dev.wizmesh.cron.core;

import java.util.Map;

/**
 * A job as its owner defines it: what to run ({@code type} and its {@code params}), when
 * ({@code cron} in {@code timeZone}), and how to treat missed fires, failures and overlap.
 *
 * @param name              unique within the tenant
 * @param type              one of the registered job types
 * @param cron              a Quartz cron expression, seconds first ({@code 0 0 2 * * ?} is 02:00 daily)
 * @param timeZone          the zone the cron expression is read in (an IANA id, UTC by default)
 * @param params            the type's parameters
 * @param misfirePolicy     what happens to missed fires
 * @param catchUpLimit      with {@link MisfirePolicy#CATCH_UP}: at most this many missed fires run
 * @param enabled           false: stored paused
 * @param maxAttempts       tries per fire (1: no retry)
 * @param retryDelaySeconds wait between tries
 * @param exclusive         whether a run also holds a Redis lock
 * @param description       free text
 */
public record JobSpec(String name, String type, String cron, String timeZone, Map<String, Object> params,
                      MisfirePolicy misfirePolicy, int catchUpLimit, boolean enabled, int maxAttempts,
                      int retryDelaySeconds, Exclusivity exclusive, String description) {
    public JobSpec {
        params = params == null ? Map.of() : Map.copyOf(params);
    }
}
