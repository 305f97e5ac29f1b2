package dev.wizmesh.cron.run;

import java.time.Instant;

/**
 * A fire's id: the job's name and the fire's scheduled time ({@code nightly-report@2026-11-24T02:00:00Z}).
 * It depends on nothing a node chooses, so every node, and a recovered re-run, names one fire alike.
 */
public final class FireIds {
    private FireIds() {
    }

    public static String of(String jobName, Instant scheduledAt) {
        return jobName + "@" + scheduledAt;
    }
}
