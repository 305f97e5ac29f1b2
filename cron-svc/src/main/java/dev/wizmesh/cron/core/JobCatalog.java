package dev.wizmesh.cron.core;

import dev.wizmesh.cron.jobs.InvalidParamsException;
import dev.wizmesh.cron.jobs.JobType;
import dev.wizmesh.cron.jobs.JobTypes;
import dev.wizmesh.cron.run.FireRunner;
import dev.wizmesh.cron.run.RunHistory;
import dev.wizmesh.cron.db.JobRunRow;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.quartz.CronExpression;
import org.quartz.CronTrigger;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.impl.matchers.GroupMatcher;

/**
 * A tenant's jobs: define, change, pause, resume, trigger and remove them, and read their runs.
 * Every change goes to Quartz's tables, which all nodes read; an idle node looks again every
 * {@code idleWaitTime}, so a change takes effect on the whole cluster within it, with no restart.
 */
public final class JobCatalog {
    private final Scheduler scheduler;
    private final JobTypes types;
    private final RunHistory history;
    private final boolean redisConfigured;
    private final Clock clock;

    public JobCatalog(Scheduler scheduler, JobTypes types, RunHistory history, boolean redisConfigured, Clock clock) {
        this.scheduler = scheduler;
        this.types = types;
        this.history = history;
        this.redisConfigured = redisConfigured;
        this.clock = clock;
    }

    public JobView create(UUID tenant, JobSpec spec, String createdBy) {
        return create(tenant, spec, createdBy, false);
    }

    /** {@code system}: a system job ({@link SystemJobs}), whose type must be a system type; a tenant's otherwise. */
    JobView create(UUID tenant, JobSpec spec, String createdBy, boolean system) {
        validate(spec, system);
        return scheduling(() -> {
            JobDetail detail = StoredJob.detail(tenant, spec, createdBy, FireRunner.class);
            try {
                scheduler.scheduleJob(detail, StoredJob.trigger(tenant, spec, clock.instant()));
            } catch (ObjectAlreadyExistsException e) {
                throw new ApiException(ErrorCode.JOB_ALREADY_EXISTS, Map.of("name", spec.name()));
            }
            if (!spec.enabled()) {
                scheduler.pauseJob(detail.getKey());
            }
            return view(tenant, spec.name());
        });
    }

    /** Replaces the definition and the schedule; the history stays. */
    public JobView replace(UUID tenant, JobSpec spec) {
        return replace(tenant, spec, false);
    }

    JobView replace(UUID tenant, JobSpec spec, boolean system) {
        validate(spec, system);
        return scheduling(() -> {
            JobKey key = StoredJob.key(tenant, spec.name());
            JobDetail existing = scheduler.getJobDetail(key);
            if (existing == null) {
                throw notFound(spec.name());
            }
            String createdBy = StoredJob.createdBy(existing.getJobDataMap());
            scheduler.addJob(StoredJob.detail(tenant, spec, createdBy, FireRunner.class), true);
            // the old schedule's trigger goes and the new one comes in one transaction (see StoredJob.triggerKey)
            CronTrigger next = StoredJob.trigger(tenant, spec, clock.instant());
            java.util.Optional<CronTrigger> old = schedule(key);
            if (old.isPresent()) {
                scheduler.rescheduleJob(old.get().getKey(), next);
            } else {
                scheduler.scheduleJob(next);
            }
            if (!spec.enabled()) {
                scheduler.pauseJob(key);
            }
            return view(tenant, spec.name());
        });
    }

    public JobView get(UUID tenant, String name) {
        return scheduling(() -> view(tenant, name));
    }

    /** The tenant's jobs by name, with their next fire times. */
    public List<JobView> list(UUID tenant) {
        return scheduling(() -> {
            List<JobView> jobs = new ArrayList<>();
            for (JobKey key : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(tenant.toString()))) {
                try {
                    jobs.add(view(tenant, key.getName()));
                } catch (ApiException removedMeanwhile) {
                    // deleted by another request between the listing and the read
                }
            }
            jobs.sort(Comparator.comparing(JobView::name));
            return jobs;
        });
    }

    /** Removes the job, its schedule and its history. */
    public void delete(UUID tenant, String name) {
        scheduling(() -> {
            if (!scheduler.deleteJob(StoredJob.key(tenant, name))) {
                throw notFound(name);
            }
            history.forget(tenant, name);
            return null;
        });
    }

    public JobView pause(UUID tenant, String name) {
        return scheduling(() -> {
            scheduler.pauseJob(existing(tenant, name));
            return view(tenant, name);
        });
    }

    /** Resumes a paused job; the fires it missed meanwhile go by its misfire policy. */
    public JobView resume(UUID tenant, String name) {
        return scheduling(() -> {
            scheduler.resumeJob(existing(tenant, name));
            return view(tenant, name);
        });
    }

    /** One run now, besides the schedule (also for a paused job). */
    public JobView trigger(UUID tenant, String name) {
        return scheduling(() -> {
            JobDataMap data = new JobDataMap();
            data.put(FireRunner.CAUSE, "MANUAL");
            scheduler.triggerJob(existing(tenant, name), data);
            return view(tenant, name);
        });
    }

    public List<JobRunRow> runs(UUID tenant, String name, int limit) {
        scheduling(() -> existing(tenant, name));
        return history.latest(tenant, name, limit);
    }

    private void validate(JobSpec spec, boolean system) {
        try {
            CronExpression.validateExpression(spec.cron());
        } catch (ParseException e) {
            throw new ApiException(ErrorCode.CRON_EXPRESSION_INVALID, Map.of("cron", spec.cron(), "reason", e.getMessage()));
        }
        JobType type = types.find(spec.type()).orElseThrow(() -> new ApiException(ErrorCode.JOB_TYPE_UNKNOWN,
                Map.of("type", String.valueOf(spec.type()), "types", types.names())));
        if (type.system() != system) {
            throw new ApiException(ErrorCode.JOB_PARAMS_INVALID, Map.of("type", spec.type(), "reason", type.system()
                    ? spec.type() + " works on the system, for no tenant: its job is a system job, defined in cron-svc's YAML (systemJobs)"
                    : spec.type() + " works on a tenant's data: it cannot be a system job"));
        }
        try {
            type.validate(spec.params());
        } catch (InvalidParamsException e) {
            throw new ApiException(ErrorCode.JOB_PARAMS_INVALID, Map.of("type", spec.type(), "reason", e.getMessage()));
        }
        if (spec.exclusive() == Exclusivity.REDIS && !redisConfigured) {
            throw new ApiException(ErrorCode.JOB_PARAMS_INVALID, Map.of("type", spec.type(),
                    "reason", "exclusive REDIS needs Redis, and this cron-svc has no redis block configured"));
        }
    }

    private JobKey existing(UUID tenant, String name) throws SchedulerException {
        JobKey key = StoredJob.key(tenant, name);
        if (!scheduler.checkExists(key)) {
            throw notFound(name);
        }
        return key;
    }

    /** The job's cron trigger (Quartz's one-off recovery triggers are in a group of their own). */
    private java.util.Optional<CronTrigger> schedule(JobKey key) throws SchedulerException {
        return scheduler.getTriggersOfJob(key).stream().filter(t -> t instanceof CronTrigger)
                .map(CronTrigger.class::cast).findFirst();
    }

    private JobView view(UUID tenant, String name) throws SchedulerException {
        JobKey key = StoredJob.key(tenant, name);
        JobDetail detail = scheduler.getJobDetail(key);
        java.util.Optional<CronTrigger> schedule = detail == null ? java.util.Optional.empty() : schedule(key);
        if (schedule.isEmpty()) {
            throw notFound(name);
        }
        CronTrigger cron = schedule.get();
        Trigger.TriggerState state = scheduler.getTriggerState(cron.getKey());
        boolean paused = state == Trigger.TriggerState.PAUSED;
        JobSpec spec = StoredJob.spec(detail, cron, !paused);
        return new JobView(spec.name(), spec.type(), spec.cron(), spec.timeZone(), spec.params(), spec.misfirePolicy(),
                spec.catchUpLimit(), spec.enabled(), spec.maxAttempts(), spec.retryDelaySeconds(), spec.exclusive(),
                spec.description(), state.name(), paused ? null : instant(cron.getNextFireTime()),
                instant(cron.getPreviousFireTime()));
    }

    private static Instant instant(java.util.Date date) {
        return date == null ? null : date.toInstant();
    }

    private static ApiException notFound(String name) {
        return new ApiException(ErrorCode.JOB_NOT_FOUND, Map.of("name", name));
    }

    private interface SchedulerCall<T> {
        T call() throws SchedulerException;
    }

    /** The scheduler's store is the database: when it cannot be reached, the caller gets a 503 that says so. */
    private static <T> T scheduling(SchedulerCall<T> call) {
        try {
            return call.call();
        } catch (SchedulerException e) {
            throw new ApiException(ErrorCode.SCHEDULER_UNAVAILABLE, Map.of("reason", String.valueOf(e.getMessage())), e);
        }
    }
}
