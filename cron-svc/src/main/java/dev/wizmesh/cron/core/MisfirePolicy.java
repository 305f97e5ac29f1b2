package dev.wizmesh.cron.core;

import org.quartz.CronTrigger;
import org.quartz.Trigger;

/**
 * What happens to the fires a job missed: all nodes were down, the job was paused, or its previous
 * run was still going. A fire counts as missed once it is later than the scheduler's
 * {@code misfireThreshold}; a fire less late than that simply runs late.
 *
 * <ul>
 *   <li>{@link #FIRE_ONCE_NOW}: one run now stands in for all the missed fires, then the schedule
 *       goes on (Quartz's {@code MISFIRE_INSTRUCTION_FIRE_ONCE_NOW}). The missed ones are recorded as
 *       MISFIRED. Right for "keep things tidy" jobs: one cleanup covers ten missed ones.</li>
 *   <li>{@link #DO_NOTHING}: the missed fires are recorded as MISFIRED and the job next runs at its
 *       next scheduled time ({@code MISFIRE_INSTRUCTION_DO_NOTHING}). Right for jobs whose moment
 *       matters and that must not run off-schedule.</li>
 *   <li>{@link #CATCH_UP}: every missed fire runs, one after the other, each with its own scheduled
 *       time and fire id, but at most {@code catchUpLimit} of them (the latest); older ones are
 *       recorded as MISFIRED. Quartz has no cap of its own: the trigger ignores misfires
 *       ({@code MISFIRE_INSTRUCTION_IGNORE_MISFIRE_POLICY}) and our runner skips the fires beyond the
 *       cap. Right for jobs where every period must be accounted (a daily report per day).</li>
 * </ul>
 */
public enum MisfirePolicy {
    FIRE_ONCE_NOW(CronTrigger.MISFIRE_INSTRUCTION_FIRE_ONCE_NOW),
    DO_NOTHING(CronTrigger.MISFIRE_INSTRUCTION_DO_NOTHING),
    CATCH_UP(Trigger.MISFIRE_INSTRUCTION_IGNORE_MISFIRE_POLICY);

    private final int quartzInstruction;

    MisfirePolicy(int quartzInstruction) {
        this.quartzInstruction = quartzInstruction;
    }

    public int quartzInstruction() {
        return quartzInstruction;
    }
}
