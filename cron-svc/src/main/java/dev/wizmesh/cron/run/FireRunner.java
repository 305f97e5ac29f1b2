package dev.wizmesh.cron.run;

import dev.wizmesh.cron.core.Exclusivity;
import dev.wizmesh.cron.core.MisfirePolicy;
import dev.wizmesh.cron.core.StoredJob;
import dev.wizmesh.cron.jobs.Fire;
import dev.wizmesh.cron.jobs.JobType;
import dev.wizmesh.cron.jobs.JobTypes;
import dev.wizmesh.lock.HeldLock;
import dev.wizmesh.lock.RedisLocks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;
import org.quartz.CronTrigger;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What Quartz runs at every fire of every job: records the fire, runs the job's type with its
 * retries (and its Redis lock when the job asks for one), and records how it ended.
 *
 * <p>Quartz already hands each fire to one node (the nodes take triggers under a row lock in
 * {@code qrtz_locks}). The run history's unique fire id is the second guard, and the one that
 * makes a recovered re-run safe: Quartz re-runs the fire of a node that died mid-run on another
 * node ({@code requestsRecovery}), which takes over the dead node's RUNNING row, and the fire id it
 * passes on is the same, so the services it calls see one fire.
 *
 * <p>{@link DisallowConcurrentExecution}: a job never overlaps itself; a fire due while the previous
 * run goes on waits, and if it waits past the misfire threshold the job's misfire policy decides.
 */
@DisallowConcurrentExecution
public final class FireRunner implements Job, io.dropwizard.lifecycle.Managed {
    /** Trigger data that marks a fire asked for through the API ({@code POST /jobs/{name}/trigger}). */
    public static final String CAUSE = "cause";
    private static final Logger LOG = LoggerFactory.getLogger(FireRunner.class);
    private static final Duration LOCK_LEASE = Duration.ofSeconds(30);

    private final JobTypes types;
    private final RunHistory history;
    private final CatchUpLimit catchUp;
    private final RedisLocks locks;
    private final CronMetrics metrics;
    private final Clock clock;
    private volatile boolean stopping;

    /** {@code locks} may be null: then jobs with {@code exclusive: REDIS} cannot be created, and fail if found. */
    public FireRunner(JobTypes types, RunHistory history, CatchUpLimit catchUp, RedisLocks locks, CronMetrics metrics,
                      Clock clock) {
        this.types = types;
        this.history = history;
        this.catchUp = catchUp;
        this.locks = locks;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        JobKey key = context.getJobDetail().getKey();
        if (!StoredJob.isTenantGroup(key.getGroup())) {
            LOG.warn("job {} is not in a tenant's group; not run", key);
            return;
        }
        UUID tenant = UUID.fromString(key.getGroup());
        String job = key.getName();
        JobDataMap data = context.getMergedJobDataMap();
        String typeName = StoredJob.type(data);
        Instant scheduled = scheduledTime(context);
        String fireId = FireIds.of(job, scheduled);
        RunHistory.Cause cause = context.isRecovering() ? RunHistory.Cause.RECOVERY
                : "MANUAL".equals(data.getString(CAUSE)) ? RunHistory.Cause.MANUAL : RunHistory.Cause.SCHEDULE;
        MDC.put("cronJob", job);
        MDC.put("fireId", fireId);
        try {
            if (cause == RunHistory.Cause.SCHEDULE && StoredJob.policy(data) == MisfirePolicy.CATCH_UP
                    && context.getTrigger() instanceof CronTrigger cron
                    && catchUp.beyond(cron, scheduled, clock.instant(), StoredJob.catchUpLimit(data))) {
                if (history.misfired(tenant, job, scheduled, "beyond the catch-up limit of " + StoredJob.catchUpLimit(data))) {
                    metrics.ended(typeName, "MISFIRED", 0);
                }
                return;
            }
            if (cause == RunHistory.Cause.SCHEDULE) {
                recordSkippedSince(context, tenant, job, scheduled);
            }
            if (!history.start(tenant, job, fireId, scheduled, cause)) {
                LOG.info("fire {} has run already (or runs on another node): not run again", fireId);
                metrics.skipped("duplicate");
                return;
            }
            run(tenant, job, fireId, scheduled, typeName, data);
        } catch (RuntimeException e) {
            // the history could not be written (the database is down): Quartz logs it; a scheduled
            // fire is not retried by Quartz, and a recoverable one is re-run only if this node dies
            throw new JobExecutionException("fire " + fireId + " could not be recorded: " + e.getMessage(), e);
        } finally {
            MDC.remove("cronJob");
            MDC.remove("fireId");
        }
    }

    private void run(UUID tenant, String job, String fireId, Instant scheduled, String typeName, JobDataMap data) {
        long started = System.nanoTime();
        Optional<JobType> type = types.find(typeName);
        int maxAttempts = StoredJob.maxAttempts(data);
        String error = null;
        int attempt = 0;
        while (attempt < maxAttempts) {
            attempt++;
            if (type.isEmpty()) {
                error = "job type '" + typeName + "' is not known to this node (known: " + types.names() + ")";
                break;
            }
            Fire fire = new Fire(fireId, tenant, job, scheduled, StoredJob.createdBy(data), StoredJob.params(data),
                    timeZone(data), attempt);
            try {
                String result = attempt(type.get(), fire, StoredJob.exclusive(data));
                history.succeeded(tenant, fireId, attempt, result);
                metrics.ended(typeName, "SUCCEEDED", seconds(started));
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error = "interrupted (the node is shutting down)";
                break;
            } catch (Exception e) {
                error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                LOG.warn("fire {} attempt {}/{} failed: {}", fireId, attempt, maxAttempts, error);
                if (attempt < maxAttempts && !pause(StoredJob.retryDelaySeconds(data))) {
                    error = error + " (retries cut short: the node is shutting down)";
                    break;
                }
            }
        }
        history.failed(tenant, fireId, attempt, error);
        metrics.ended(typeName, "FAILED", seconds(started));
    }

    private String attempt(JobType type, Fire fire, Exclusivity exclusive) throws Exception {
        if (exclusive != Exclusivity.REDIS) {
            return type.run(fire);
        }
        if (locks == null) {
            throw new IllegalStateException("the job asks for a Redis lock, and this node has no redis block configured");
        }
        String name = "cron:" + fire.tenantId() + ":" + fire.jobName();
        Optional<HeldLock> held = locks.tryAcquire(name, LOCK_LEASE);
        if (held.isEmpty()) {
            throw new IllegalStateException("the Redis lock " + name + " is held by another owner");
        }
        try (HeldLock lock = locks.watch(held.get(), LOCK_LEASE)) {
            String result = type.run(fire);
            if (lock.isLost()) {
                throw new IllegalStateException("the Redis lock " + name + " was lost while the job ran (fencing token "
                        + lock.fencingToken() + ")");
            }
            return result + " [lock " + name + ", fencing token " + lock.fencingToken() + "]";
        }
    }

    /**
     * The cron times between the trigger's previous fire and this one never ran: a misfire skipped
     * them. {@link MisfireRecorder} records them when the misfire is handled; what it could not see
     * (a second that began while Quartz moved the trigger on) is recorded here, so the history has a
     * row for every fire time. Nothing is written when nothing was skipped, the usual case.
     */
    private void recordSkippedSince(JobExecutionContext context, UUID tenant, String job, Instant scheduled) {
        if (context.getTrigger() instanceof CronTrigger cron && context.getPreviousFireTime() != null) {
            try {
                java.util.List<Instant> skipped = MissedFires.between(cron, context.getPreviousFireTime().toInstant(), scheduled);
                if (!skipped.isEmpty()) {
                    history.misfired(tenant, job, skipped, MissedFires.reason(cron));
                }
            } catch (java.text.ParseException e) {
                // stored expressions were validated on the way in
            }
        }
    }

    /**
     * The fire's scheduled time. A recovered fire's trigger is Quartz's one-off recovery trigger, which
     * carries the original fire's scheduled time in its data: the same fire, so the same fire id.
     */
    private static Instant scheduledTime(JobExecutionContext context) {
        if (context.isRecovering()) {
            String original = context.getMergedJobDataMap()
                    .getString(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS);
            if (original != null) {
                return Instant.ofEpochMilli(Long.parseLong(original));
            }
        }
        Date scheduled = context.getScheduledFireTime();
        return (scheduled == null ? context.getFireTime() : scheduled).toInstant();
    }

    private static String timeZone(JobDataMap data) {
        String zone = data.getString(StoredJob.TIME_ZONE);
        return zone == null ? "UTC" : zone;
    }

    /**
     * Waits out a retry delay (up to an hour), but not a shutdown: the scheduler's stop waits for running
     * jobs, so a node asked to stop must not sit in a delay. False when the node began to stop.
     */
    private boolean pause(int seconds) {
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        try {
            while (!stopping && System.nanoTime() < until) {
                Thread.sleep(Math.min(200, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            }
            return !stopping;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Managed after the scheduler, so stopped before it: runs waiting for a retry give up at once. */
    @Override
    public void stop() {
        stopping = true;
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
