package dev.wizmesh.cron.scheduler;

import io.dropwizard.lifecycle.Managed;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Quartz scheduler's part in the app's lifecycle: it starts firing once the app is up, and on
 * shutdown stops taking new fires, lets the running ones finish, and leaves the cluster (its row in
 * {@code qrtz_scheduler_state} goes, so the others do not wait for it to time out).
 */
public final class ManagedScheduler implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedScheduler.class);
    private final Scheduler scheduler;

    ManagedScheduler(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public void start() throws SchedulerException {
        scheduler.start();
        LOG.info("scheduler {} started as node {}", scheduler.getSchedulerName(), scheduler.getSchedulerInstanceId());
    }

    @Override
    public void stop() throws SchedulerException {
        scheduler.shutdown(true);
    }
}
