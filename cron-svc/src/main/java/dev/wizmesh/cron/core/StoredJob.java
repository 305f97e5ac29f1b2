package dev.wizmesh.cron.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;
import java.util.TimeZone;
import java.util.UUID;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;

/**
 * How a {@link JobSpec} is kept in Quartz's tables: the job's key is (name, tenant id), so one
 * tenant's jobs are one Quartz group; the definition lives in the job's data map as strings
 * ({@code org.quartz.jobStore.useProperties}: no Java serialization in the database, so a class
 * change never makes stored jobs unreadable); the schedule is one cron trigger with the job's key.
 */
public final class StoredJob {
    static final String TYPE = "type";
    static final String PARAMS = "params";
    static final String MISFIRE_POLICY = "misfirePolicy";
    static final String CATCH_UP_LIMIT = "catchUpLimit";
    static final String MAX_ATTEMPTS = "maxAttempts";
    static final String RETRY_DELAY = "retryDelaySeconds";
    static final String EXCLUSIVE = "exclusive";
    static final String CREATED_BY = "createdBy";
    /** Also on the trigger; kept here for job types that think in days. */
    public static final String TIME_ZONE = "timeZone";

    private static final ObjectMapper JSON = new ObjectMapper();

    private StoredJob() {
    }

    public static JobKey key(UUID tenant, String name) {
        return JobKey.jobKey(name, tenant.toString());
    }

    /**
     * A schedule's trigger key: the job's name and when this schedule was set. A changed schedule
     * gets a new trigger under a new key, never an update of the old one: a node may hold the old
     * trigger in memory (acquired for its next fire), and Quartz checks a fire only against its
     * trigger key's state, so under the same key that node could fire the old copy and write it back
     * over the change (seen in the cluster test). Under its own key, the old one is simply gone.
     */
    static TriggerKey triggerKey(UUID tenant, String name, Instant setAt) {
        return TriggerKey.triggerKey(name + "@" + Long.toString(setAt.toEpochMilli(), 36), tenant.toString());
    }

    /** The job's detail: durable (it outlives a paused or removed trigger), recoverable (a dead node's run is re-run). */
    public static JobDetail detail(UUID tenant, JobSpec spec, String createdBy, Class<? extends org.quartz.Job> runner) {
        JobDataMap data = new JobDataMap();
        data.put(TYPE, spec.type());
        data.put(PARAMS, json(spec.params()));
        data.put(MISFIRE_POLICY, spec.misfirePolicy().name());
        data.put(CATCH_UP_LIMIT, Integer.toString(spec.catchUpLimit()));
        data.put(MAX_ATTEMPTS, Integer.toString(spec.maxAttempts()));
        data.put(RETRY_DELAY, Integer.toString(spec.retryDelaySeconds()));
        data.put(EXCLUSIVE, spec.exclusive().name());
        data.put(CREATED_BY, createdBy == null ? "" : createdBy);
        data.put(TIME_ZONE, spec.timeZone());
        return JobBuilder.newJob(runner).withIdentity(key(tenant, spec.name())).withDescription(spec.description())
                .usingJobData(data).storeDurably().requestRecovery().build();
    }

    public static CronTrigger trigger(UUID tenant, JobSpec spec, Instant startAt) {
        CronScheduleBuilder schedule = CronScheduleBuilder.cronSchedule(spec.cron())
                .inTimeZone(TimeZone.getTimeZone(spec.timeZone()));
        schedule = switch (spec.misfirePolicy()) {
            case FIRE_ONCE_NOW -> schedule.withMisfireHandlingInstructionFireAndProceed();
            case DO_NOTHING -> schedule.withMisfireHandlingInstructionDoNothing();
            case CATCH_UP -> schedule.withMisfireHandlingInstructionIgnoreMisfires();
        };
        return TriggerBuilder.newTrigger().withIdentity(triggerKey(tenant, spec.name(), startAt)).forJob(key(tenant, spec.name()))
                .withSchedule(schedule).startAt(java.util.Date.from(startAt)).build();
    }

    /** The definition back from what Quartz stored. */
    public static JobSpec spec(JobDetail detail, CronTrigger trigger, boolean enabled) {
        JobDataMap data = detail.getJobDataMap();
        return new JobSpec(detail.getKey().getName(), data.getString(TYPE), trigger.getCronExpression(),
                trigger.getTimeZone().getID(), params(data.getString(PARAMS)), policy(data),
                intOf(data, CATCH_UP_LIMIT, 10), enabled, intOf(data, MAX_ATTEMPTS, 1), intOf(data, RETRY_DELAY, 0),
                Exclusivity.valueOf(data.getString(EXCLUSIVE) == null ? "NONE" : data.getString(EXCLUSIVE)),
                detail.getDescription());
    }

    public static String type(JobDataMap data) {
        return data.getString(TYPE);
    }

    public static Map<String, Object> params(JobDataMap data) {
        return params(data.getString(PARAMS));
    }

    public static MisfirePolicy policy(JobDataMap data) {
        String p = data.getString(MISFIRE_POLICY);
        return p == null ? MisfirePolicy.FIRE_ONCE_NOW : MisfirePolicy.valueOf(p);
    }

    public static int catchUpLimit(JobDataMap data) {
        return intOf(data, CATCH_UP_LIMIT, 10);
    }

    public static int maxAttempts(JobDataMap data) {
        return intOf(data, MAX_ATTEMPTS, 1);
    }

    public static int retryDelaySeconds(JobDataMap data) {
        return intOf(data, RETRY_DELAY, 0);
    }

    public static Exclusivity exclusive(JobDataMap data) {
        String e = data.getString(EXCLUSIVE);
        return e == null ? Exclusivity.NONE : Exclusivity.valueOf(e);
    }

    public static String createdBy(JobDataMap data) {
        String c = data.getString(CREATED_BY);
        return c == null || c.isEmpty() ? null : c;
    }

    /** Whether a trigger belongs to a stored job of ours (a tenant's group), not to Quartz's recovery group. */
    public static boolean isTenantGroup(String group) {
        try {
            UUID.fromString(group);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int intOf(JobDataMap data, String key, int fallback) {
        String v = data.getString(key);
        return v == null ? fallback : Integer.parseInt(v);
    }

    private static String json(Map<String, Object> params) {
        try {
            return JSON.writeValueAsString(params);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("params cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> params(String json) {
        if (json == null || json.isEmpty()) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored params are not JSON: " + e.getMessage(), e);
        }
    }
}
