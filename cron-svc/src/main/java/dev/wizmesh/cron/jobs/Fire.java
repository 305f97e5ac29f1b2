package dev.wizmesh.cron.jobs;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One fire of a job, as its type sees it.
 *
 * @param fireId    names this fire (job and scheduled time); the same in a recovered re-run, so the
 *                  job passes it on as an idempotency key and its effect happens once
 * @param tenantId  the job's tenant: the type acts on this tenant's data only
 * @param createdBy the admin who created the job: calls to other services go with this user and
 *                  the admin role, as the gateway would have sent them
 * @param timeZone  the job's zone, for types that think in days
 * @param attempt   1 for the first try of this fire
 */
public record Fire(String fireId, UUID tenantId, String jobName, Instant scheduledAt, String createdBy,
                   Map<String, Object> params, String timeZone, int attempt) {
}
