package dev.wizmesh.cron;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wizmesh.cron.jobs.JobCallsFactory;
import dev.wizmesh.cron.scheduler.SchedulerFactory;
import dev.wizmesh.discovery.DiscoveredServiceConfiguration;
import dev.wizmesh.lock.RedisLockFactory;
import dev.wizmesh.persistence.DatabaseConfiguration;
import dev.wizmesh.persistence.DatabaseFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * cron-svc's YAML: the shared blocks, plus {@code database} (Quartz's tables, the run history and
 * the reports), {@code scheduler} (the Quartz cluster), {@code jobCalls} (how jobs call services)
 * and, optionally, {@code redis} (for jobs with {@code exclusive: REDIS}).
 */
public class CronConfiguration extends DiscoveredServiceConfiguration implements DatabaseConfiguration {
    @Valid
    @NotNull
    private DatabaseFactory database;

    @Valid
    @NotNull
    private SchedulerFactory scheduler = new SchedulerFactory();

    @Valid
    @NotNull
    private JobCallsFactory jobCalls = new JobCallsFactory();

    /** Absent (or {@code redis.enabled: false}): no Redis, and jobs cannot ask for a Redis lock. */
    @Valid
    private RedisLockFactory redis;

    private boolean redisEnabled = true;

    /** Jobs of the system itself (docs/cron.md): each node makes Quartz's copy match this list at start. */
    @Valid
    @NotNull
    private java.util.List<dev.wizmesh.cron.api.JobRequest> systemJobs = java.util.List.of();

    @io.dropwizard.validation.ValidationMethod(message = "systemJobs: every entry needs a name, and no name may appear twice")
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isSystemJobsNamed() {
        java.util.Set<String> names = new java.util.HashSet<>();
        return systemJobs.stream().allMatch(j -> j.name() != null && names.add(j.name()));
    }

    @JsonProperty
    public java.util.List<dev.wizmesh.cron.api.JobRequest> getSystemJobs() {
        return systemJobs;
    }

    @JsonProperty
    public void setSystemJobs(java.util.List<dev.wizmesh.cron.api.JobRequest> systemJobs) {
        this.systemJobs = systemJobs == null ? java.util.List.of() : systemJobs;
    }

    @Override
    @JsonProperty
    public DatabaseFactory getDatabase() {
        return database;
    }

    @JsonProperty
    public void setDatabase(DatabaseFactory database) {
        this.database = database;
    }

    @JsonProperty
    public SchedulerFactory getScheduler() {
        return scheduler;
    }

    @JsonProperty
    public void setScheduler(SchedulerFactory scheduler) {
        this.scheduler = scheduler;
    }

    @JsonProperty
    public JobCallsFactory getJobCalls() {
        return jobCalls;
    }

    @JsonProperty
    public void setJobCalls(JobCallsFactory jobCalls) {
        this.jobCalls = jobCalls;
    }

    @JsonProperty
    public RedisLockFactory getRedis() {
        return redis;
    }

    @JsonProperty
    public void setRedis(RedisLockFactory redis) {
        this.redis = redis;
    }

    /** {@code redisEnabled: false} keeps a configured redis block switched off (an env var can say so). */
    @JsonProperty
    public boolean isRedisEnabled() {
        return redisEnabled;
    }

    @JsonProperty
    public void setRedisEnabled(boolean redisEnabled) {
        this.redisEnabled = redisEnabled;
    }
}
