package dev.wizmesh.cron.run;

import dev.wizmesh.cron.db.JobRunDao;
import dev.wizmesh.cron.db.JobRunRow;
import dev.wizmesh.persistence.Database;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The record of every fire, and the guard that lets each fire run once: a fire runs only after
 * its row was inserted by this node (the unique fire id makes a second insert a no-op), or, when
 * Quartz hands this node a dead node's fire to recover, after it took over the row the dead node
 * left RUNNING.
 */
public final class RunHistory {
    /** Runs and retries have a cause; {@code RECOVERY} is set when a row is taken over. */
    public enum Cause { SCHEDULE, MANUAL, RECOVERY }

    private final Database database;
    private final String node;

    public RunHistory(Database database, String node) {
        this.database = database;
        this.node = node;
    }

    public String node() {
        return node;
    }

    /** True when this node now owns the fire and must run it; false when it ran, or runs, already. */
    public boolean start(UUID tenant, String job, String fireId, Instant scheduledAt, Cause cause) {
        return database.tenants().inTenant(tenant, h -> {
            JobRunDao runs = h.attach(JobRunDao.class);
            if (runs.start(UUID.randomUUID(), job, fireId, scheduledAt, node, cause.name()) == 1) {
                return true;
            }
            // only Quartz's recovery of a dead node's fire may run it again, and only while its row says RUNNING
            return cause == Cause.RECOVERY && runs.takeOver(fireId, node) == 1;
        });
    }

    public void succeeded(UUID tenant, String fireId, int attempts, String result) {
        finish(tenant, fireId, "SUCCEEDED", attempts, null, result);
    }

    public void failed(UUID tenant, String fireId, int attempts, String error) {
        finish(tenant, fireId, "FAILED", attempts, error, null);
    }

    /** A fire that will not run, with why; nothing when the fire already has a row. */
    public boolean misfired(UUID tenant, String job, Instant scheduledAt, String reason) {
        return database.tenants().inTenant(tenant, h -> h.attach(JobRunDao.class)
                .misfired(UUID.randomUUID(), job, FireIds.of(job, scheduledAt), scheduledAt, node, reason) == 1);
    }

    /** Several misfired fires of one job, in one transaction; returns how many were new. */
    public int misfired(UUID tenant, String job, List<Instant> scheduled, String reason) {
        return database.tenants().inTenant(tenant, h -> {
            JobRunDao runs = h.attach(JobRunDao.class);
            int added = 0;
            for (Instant at : scheduled) {
                added += runs.misfired(UUID.randomUUID(), job, FireIds.of(job, at), at, node, reason);
            }
            return added;
        });
    }

    public List<JobRunRow> latest(UUID tenant, String job, int limit) {
        return database.tenants().inTenant(tenant, h -> h.attach(JobRunDao.class).latest(job, limit));
    }

    public int forget(UUID tenant, String job) {
        return database.tenants().inTenant(tenant, h -> h.attach(JobRunDao.class).deleteAll(job));
    }

    private void finish(UUID tenant, String fireId, String status, int attempts, String error, String result) {
        database.tenants().inTenant(tenant, h -> h.attach(JobRunDao.class)
                .finish(fireId, status, attempts, truncate(error), truncate(result)));
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 2000) + "...";
    }
}
