package dev.wizmesh.cron.run;

import dev.wizmesh.cron.core.StoredJob;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.quartz.CronExpression;
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
 * ({@code CATCH_UP} jobs ignore misfires in Quartz; {@link FireRunner} records theirs.)
 */
public final class MisfireRecorder implements TriggerListener {
    private static final Logger LOG = LoggerFactory.getLogger(MisfireRecorder.class);
    /** A job paused for a year that fires every second would otherwise write 31 million rows at once. */
    static final int MAX_RECORDED = 1000;

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
            String reason = "missed; misfire instruction " + policyName(cron.getMisfireInstruction());
            int added = history.misfired(UUID.fromString(trigger.getJobKey().getGroup()), job, missed, reason);
            LOG.info("job {}: {} missed fire(s) from {} recorded as MISFIRED ({})", job, added, missed.get(0), reason);
        } catch (RuntimeException | ParseException e) {
            // never let the history stop Quartz's misfire handling: the schedule matters more
            LOG.warn("job {}: its missed fires could not be recorded: {}", job, e.getMessage());
        }
    }

    /** The trigger's fire times from its (missed) next one up to now. */
    static List<Instant> missed(CronTrigger trigger, Instant now) throws ParseException {
        CronExpression cron = new CronExpression(trigger.getCronExpression());
        cron.setTimeZone(trigger.getTimeZone());
        List<Instant> missed = new ArrayList<>();
        Date at = trigger.getNextFireTime();
        while (at != null && at.toInstant().isBefore(now) && missed.size() < MAX_RECORDED) {
            missed.add(at.toInstant());
            at = cron.getNextValidTimeAfter(at);
        }
        if (missed.isEmpty()) {
            missed.add(trigger.getNextFireTime().toInstant());
        }
        return missed;
    }

    private static String policyName(int instruction) {
        return switch (instruction) {
            case CronTrigger.MISFIRE_INSTRUCTION_FIRE_ONCE_NOW -> "FIRE_ONCE_NOW";
            case CronTrigger.MISFIRE_INSTRUCTION_DO_NOTHING -> "DO_NOTHING";
            default -> Integer.toString(instruction);
        };
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
