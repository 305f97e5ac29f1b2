package dev.wizmesh.cron.db;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The run history (tenant-scoped: every call runs inside the job's tenant's transaction). */
@RegisterConstructorMapper(JobRunRow.class)
public interface JobRunDao {
    String COLUMNS = "run_id, job_name, fire_id, scheduled_at, started_at, ended_at, node, status, cause, attempts, error, result";

    /** The fire's row, RUNNING on this node; 0 when the fire already has a row (it ran, or runs, elsewhere). */
    @SqlUpdate("""
            INSERT INTO job_runs (run_id, tenant_id, job_name, fire_id, scheduled_at, started_at, node, status, cause)
            VALUES (:runId, app_current_tenant(), :job, :fireId, :scheduledAt, now(), :node, 'RUNNING', :cause)
            ON CONFLICT (tenant_id, fire_id) DO NOTHING""")
    int start(@Bind("runId") UUID runId, @Bind("job") String job, @Bind("fireId") String fireId,
              @Bind("scheduledAt") Instant scheduledAt, @Bind("node") String node, @Bind("cause") String cause);

    /**
     * A recovered re-run takes over the row its dead node left RUNNING: same run id, same fire id,
     * this node, cause RECOVERY. 0 when the row is no longer RUNNING (the first run did end).
     */
    @SqlUpdate("""
            UPDATE job_runs SET node = :node, started_at = now(), cause = 'RECOVERY'
             WHERE fire_id = :fireId AND status = 'RUNNING'""")
    int takeOver(@Bind("fireId") String fireId, @Bind("node") String node);

    @SqlQuery("SELECT " + COLUMNS + " FROM job_runs WHERE fire_id = :fireId")
    Optional<JobRunRow> byFire(@Bind("fireId") String fireId);

    @SqlUpdate("""
            UPDATE job_runs SET status = :status, ended_at = now(), attempts = :attempts, error = :error, result = :result
             WHERE fire_id = :fireId AND status = 'RUNNING'""")
    int finish(@Bind("fireId") String fireId, @Bind("status") String status, @Bind("attempts") int attempts,
               @Bind("error") String error, @Bind("result") String result);

    /** A fire that did not run; nothing when the fire already has a row. */
    @SqlUpdate("""
            INSERT INTO job_runs (run_id, tenant_id, job_name, fire_id, scheduled_at, node, status, cause, error)
            VALUES (:runId, app_current_tenant(), :job, :fireId, :scheduledAt, :node, 'MISFIRED', 'MISFIRE', :reason)
            ON CONFLICT (tenant_id, fire_id) DO NOTHING""")
    int misfired(@Bind("runId") UUID runId, @Bind("job") String job, @Bind("fireId") String fireId,
                 @Bind("scheduledAt") Instant scheduledAt, @Bind("node") String node, @Bind("reason") String reason);

    @SqlQuery("SELECT " + COLUMNS + " FROM job_runs WHERE job_name = :job ORDER BY scheduled_at DESC, run_id LIMIT :limit")
    List<JobRunRow> latest(@Bind("job") String job, @Bind("limit") int limit);

    @SqlUpdate("DELETE FROM job_runs WHERE job_name = :job")
    int deleteAll(@Bind("job") String job);
}
