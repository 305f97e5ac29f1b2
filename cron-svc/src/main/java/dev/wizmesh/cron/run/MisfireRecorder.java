package dev.wizmesh.cron.run;

import dev.wizmesh.cron.core.StoredJob;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.quartz.CronTrigger;
import org.quartz.JobExecutionContext;
import org.quartz.Trigger;
import org.quartz.Trigger.CompletedExecutionInstruction;
import org.quartz.TriggerListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the fires a misfire policy skips into the run history as MISFIRED, so the history has a
 * row for every scheduled time: run, failed, or skipped and why. Quartz calls this on the node that
 * noticed the misfire (its misfire handler, or the node that resumed a paused job), with the
 * trigger as it was before the policy moved it on: its next fire time is the first one missed.
 * ({@code CATCH_UP} jobs ignore misfires in Quartz; {@link FireRunner} records theirs. It also fills in,
 * at each fire, any fire time since the previous fire that has no row: Quartz moves the trigger on with
 * its own clock a moment after calling this, so a second that begins in between is recorded there.)
 */
public final class MisfireRecorder implements TriggerListener {
    private static final Logger LOG = LoggerFactory.getLogger(MisfireRecorder.class);
    private final RunHistory history;
    private final Clock clock;

    public MisfireRecorder(RunHistory history, Clock clock) {
        this.history = history;
        this.clock = clock;
    }

    @Override
    public String getName() {
        return "wizmesh-misfire-recorder";
    }

    @Override
    public void triggerMisfired(Trigger trigger) {
        // a CATCH_UP job's trigger ignores misfires, yet Quartz still tells us when a resume finds it
        // late: its missed fires are about to run, and FireRunner decides which are beyond the limit
        if (!(trigger instanceof CronTrigger cron) || !StoredJob.isTenantGroup(trigger.getJobKey().getGroup())
                || trigger.getNextFireTime() == null
                || trigger.getMisfireInstruction() == Trigger.MISFIRE_INSTRUCTION_IGNORE_MISFIRE_POLICY) {
            return;
        }
        String job = trigger.getJobKey().getName();
        try {
            List<Instant> missed = missed(cron, clock.instant());
            String reason = MissedFires.reason(cron);
            int added = history.misfired(UUID.fromString(trigger.getJobKey().getGroup()), job, missed, reason);
            LOG.info("job {}: {} missed fire(s) from {} recorded as MISFIRED ({})", job, added, missed.get(0), reason);
        } catch (RuntimeException | ParseException e) {
            // never let the history stop Quartz's misfire handling: the schedule matters more
            LOG.warn("job {}: its missed fires could not be recorded: {}", job, e.getMessage());
        }
    }

    /** The trigger's fire times from its (missed) next one up to now. */
    static List<Instant> missed(CronTrigger trigger, Instant now) throws ParseException {
        List<Instant> missed = MissedFires.from(trigger, trigger.getNextFireTime().toInstant(), now);
        return missed.isEmpty() ? List.of(trigger.getNextFireTime().toInstant()) : missed;
    }

    @Override
    public void triggerFired(Trigger trigger, JobExecutionContext context) {
    }

    @Override
    public boolean vetoJobExecution(Trigger trigger, JobExecutionContext context) {
        return false;
    }

    @Override
    public void triggerComplete(Trigger trigger, JobExecutionContext context, CompletedExecutionInstruction instruction) {
    }
}
