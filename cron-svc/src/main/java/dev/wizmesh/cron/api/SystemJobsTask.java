package dev.wizmesh.cron.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wizmesh.cron.core.JobView;
import dev.wizmesh.cron.core.SystemJobs;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.platform.tasks.AdminTask;
import dev.wizmesh.platform.tasks.BadTaskInputException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The operators' view of the system jobs, on the admin port (no tenant's admin sees them):
 *
 * <pre>
 * curl -X POST localhost:8141/tasks/system-jobs                        # each system job and its last runs, as JSON
 * curl -X POST 'localhost:8141/tasks/system-jobs?trigger=outbox-cleanup'   # run one now, then the same
 * </pre>
 */
public final class SystemJobsTask extends AdminTask {
    static final int RUNS_SHOWN = 5;

    private final SystemJobs jobs;
    private final ObjectMapper json;

    public SystemJobsTask(SystemJobs jobs, ObjectMapper json) {
        super("system-jobs", "application/json");
        this.jobs = jobs;
        this.json = json.copy().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    record Shown(JobView job, List<RunView> runs) {
    }

    @Override
    protected void run(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
        String trigger = single(parameters, "trigger");
        if (trigger != null) {
            try {
                jobs.trigger(trigger);
            } catch (ApiException e) {
                if (e.code() != ErrorCode.JOB_NOT_FOUND) {
                    throw e; // the scheduler's store cannot be reached: a failure, not bad input
                }
                throw new BadTaskInputException("no system job is named '" + trigger + "'");
            }
        }
        List<Shown> shown = new ArrayList<>();
        for (JobView job : jobs.list()) {
            shown.add(new Shown(job, jobs.runs(job.name(), RUNS_SHOWN).stream().map(RunView::of).toList()));
        }
        output.println(json.writeValueAsString(Map.of("systemJobs", shown)));
    }
}
