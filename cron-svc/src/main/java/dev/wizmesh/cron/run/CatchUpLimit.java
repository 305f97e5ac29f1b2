package dev.wizmesh.cron.run;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.quartz.CronExpression;
import org.quartz.CronTrigger;

/**
 * The cap on {@code CATCH_UP}: Quartz runs every missed fire of such a job (its trigger ignores
 * misfires), one after the other. A fire is beyond the cap when it is late by more than the
 * misfire threshold and at least {@code limit} later fires are also already due: so of a backlog,
 * the latest {@code limit} fires run and the older ones are recorded as MISFIRED.
 */
public final class CatchUpLimit {
    private final Duration misfireThreshold;

    public CatchUpLimit(Duration misfireThreshold) {
        this.misfireThreshold = misfireThreshold;
    }

    public boolean beyond(CronTrigger trigger, Instant scheduled, Instant now, int limit) {
        if (Duration.between(scheduled, now).compareTo(misfireThreshold) <= 0) {
            return false;
        }
        try {
            CronExpression cron = new CronExpression(trigger.getCronExpression());
            cron.setTimeZone(trigger.getTimeZone());
            int later = 0;
            Date next = cron.getNextValidTimeAfter(Date.from(scheduled));
            while (next != null && !next.toInstant().isAfter(now) && later < limit) {
                later++;
                next = cron.getNextValidTimeAfter(next);
            }
            return later >= limit;
        } catch (ParseException e) {
            return false; // stored expressions were validated on the way in
        }
    }
}
