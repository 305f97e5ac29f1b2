package dev.wizmesh.cron.scheduler;

import com.codahale.metrics.health.HealthCheck;
import org.quartz.Scheduler;

/** Healthy while the scheduler runs (started, not in standby or shut down). */
public final class SchedulerHealthCheck extends HealthCheck {
    private final Scheduler scheduler;

    public SchedulerHealthCheck(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    protected Result check() throws Exception {
        if (scheduler.isShutdown()) {
            return Result.unhealthy("the scheduler is shut down");
        }
        if (!scheduler.isStarted() || scheduler.isInStandbyMode()) {
            return Result.unhealthy("the scheduler is not started");
        }
        return Result.healthy("node %s of cluster %s, %d job(s) running here", scheduler.getSchedulerInstanceId(),
                scheduler.getSchedulerName(), scheduler.getCurrentlyExecutingJobs().size());
    }
}
