package dev.wizmesh.cron.db;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code job_runs}: one fire of a job. */
public record JobRunRow(UUID runId, String jobName, String fireId, Instant scheduledAt, Instant startedAt,
                        Instant endedAt, String node, String status, String cause, int attempts, String error,
                        String result) {
}
