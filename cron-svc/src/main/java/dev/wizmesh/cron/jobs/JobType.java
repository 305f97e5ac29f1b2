package dev.wizmesh.cron.jobs;

import java.util.Map;

/**
 * One kind of work a job can do. A type checks a job's parameters when the job is created (so a
 * mistake is a 422 then, not a failed run at 3 a.m.), and does the work at each fire.
 */
public interface JobType {
    /** The name jobs give in {@code "type"}. */
    String name();

    /**
     * A system type works on the system itself, for no tenant (cleaning every service's outbox): its
     * jobs are defined in cron-svc's YAML ({@code systemJobs}), not by a tenant's admin.
     */
    default boolean system() {
        return false;
    }

    /** Throws {@link InvalidParamsException} naming what is wrong with {@code params}. */
    void validate(Map<String, Object> params);

    /**
     * Does the work of one fire (one attempt of it). Returns a one-line result for the run history;
     * throws when the attempt failed, with a message that says why.
     */
    String run(Fire fire) throws Exception;
}
