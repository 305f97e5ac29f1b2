package dev.wizmesh.cron.run;

import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.quartz.CronExpression;
import org.quartz.CronTrigger;

/** A cron trigger's fire times in a span: the ones a misfire skipped. */
final class MissedFires {
    /** A job paused for a year that fires every second would otherwise write 31 million rows at once. */
    static final int MAX_RECORDED = 1000;

    private MissedFires() {
    }

    /** The trigger's fire times from {@code first} (included) up to {@code before} (excluded), at most {@link #MAX_RECORDED}. */
    static List<Instant> from(CronTrigger trigger, Instant first, Instant before) throws ParseException {
        List<Instant> missed = new ArrayList<>();
        Date at = Date.from(first);
        CronExpression cron = expression(trigger);
        while (at != null && at.toInstant().isBefore(before) && missed.size() < MAX_RECORDED) {
            missed.add(at.toInstant());
            at = cron.getNextValidTimeAfter(at);
        }
        return missed;
    }

    /** The trigger's fire times strictly between two of its fires. */
    static List<Instant> between(CronTrigger trigger, Instant after, Instant before) throws ParseException {
        Date first = expression(trigger).getNextValidTimeAfter(Date.from(after));
        return first == null ? List.of() : from(trigger, first.toInstant(), before);
    }

    static String reason(CronTrigger trigger) {
        return "missed; misfire instruction " + switch (trigger.getMisfireInstruction()) {
            case CronTrigger.MISFIRE_INSTRUCTION_FIRE_ONCE_NOW -> "FIRE_ONCE_NOW";
            case CronTrigger.MISFIRE_INSTRUCTION_DO_NOTHING -> "DO_NOTHING";
            default -> Integer.toString(trigger.getMisfireInstruction());
        };
    }

    private static CronExpression expression(CronTrigger trigger) throws ParseException {
        CronExpression cron = new CronExpression(trigger.getCronExpression());
        cron.setTimeZone(trigger.getTimeZone());
        return cron;
    }
}
