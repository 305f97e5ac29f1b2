package dev.wizmesh.cron.api;

import dev.wizmesh.cron.db.JobRunRow;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** One run in {@code GET /api/v1/jobs/{name}/runs}. */
public record RunView(UUID runId, String fireId, Instant scheduledFireTime, Instant actualFireTime, Instant endTime,
                      String node, String status, String cause, int attempts, String error, String result, Long durationMillis) {
    static RunView of(JobRunRow row) {
        Long duration = row.startedAt() != null && row.endedAt() != null
                ? Duration.between(row.startedAt(), row.endedAt()).toMillis() : null;
        return new RunView(row.runId(), row.fireId(), row.scheduledAt(), row.startedAt(), row.endedAt(), row.node(),
                row.status(), row.cause(), row.attempts(), row.error(), row.result(), duration);
    }
}
