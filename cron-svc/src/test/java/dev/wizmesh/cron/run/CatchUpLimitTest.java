package dev.wizmesh.cron.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.TriggerBuilder;

class CatchUpLimitTest {
    private final CatchUpLimit limit = new CatchUpLimit(Duration.ofSeconds(5));
    private final CronTrigger everySecond = TriggerBuilder.newTrigger().withSchedule(CronScheduleBuilder.cronSchedule("* * * * * ?"))
            .startAt(Date.from(Instant.parse("2026-11-24T10:00:00Z"))).build();

    @Test
    void ofABacklogOnlyTheLatestFiresUpToTheLimitRun() {
        Instant now = Instant.parse("2026-11-24T10:00:10.500Z");
        // fires 10:00:00 .. 10:00:10 are due; of those more than 5 s late (:00 to :05), the ones with
        // at least 3 later fires due are skipped: all of them. :06 and :07 are not missed (late less
        // than the threshold), so they run, as do :08, :09, :10
        List<Integer> beyond = java.util.stream.IntStream.rangeClosed(0, 10)
                .filter(s -> limit.beyond(everySecond, Instant.parse("2026-11-24T10:00:00Z").plusSeconds(s), now, 3)).boxed().toList();
        assertThat(beyond).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void aFireLessLateThanTheThresholdIsNeverBeyond() {
        Instant scheduled = Instant.parse("2026-11-24T10:00:00Z");
        assertThat(limit.beyond(everySecond, scheduled, scheduled.plusSeconds(5), 1)).isFalse();
        assertThat(limit.beyond(everySecond, scheduled, scheduled.plusSeconds(6), 1)).isTrue();
        assertThat(limit.beyond(everySecond, scheduled, scheduled.plusSeconds(6), 6)).isTrue();
        assertThat(limit.beyond(everySecond, scheduled, scheduled.plusSeconds(6), 7)).isFalse();
    }

    @Test
    void theMisfireRecorderListsTheMissedFireTimesUpToNow() throws Exception {
        CronTrigger trigger = TriggerBuilder.newTrigger().withSchedule(CronScheduleBuilder.cronSchedule("0/2 * * * * ?"))
                .startAt(Date.from(Instant.parse("2026-11-24T10:00:00Z"))).build();
        ((org.quartz.spi.OperableTrigger) trigger).computeFirstFireTime(null);
        assertThat(MisfireRecorder.missed(trigger, Instant.parse("2026-11-24T10:00:07Z"))).containsExactly(
                Instant.parse("2026-11-24T10:00:00Z"), Instant.parse("2026-11-24T10:00:02Z"),
                Instant.parse("2026-11-24T10:00:04Z"), Instant.parse("2026-11-24T10:00:06Z"));
    }
}
