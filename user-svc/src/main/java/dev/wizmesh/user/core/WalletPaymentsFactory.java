package dev.wizmesh.user.core;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wizmesh.persistence.Database;
import dev.wizmesh.transactions.fence.Fence;
import dev.wizmesh.transactions.fence.FenceSweeper;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.NotNull;
import java.time.Clock;

/**
 * The {@code payments:} block of user-svc's YAML: how long a TCC hold waits for its Confirm or
 * Cancel, and how the fence's housekeeping runs.
 *
 * <pre>
 * payments:
 *   defaultHold: 60s      # a hold's life when the TryHold names none (hold_millis 0)
 *   maxHold: 1h           # the longest hold a TryHold may ask for
 *   sweepInterval: 5s     # how often expired holds are released (and old fence rows deleted)
 *   fenceRetention: 7d    # finished fence rows kept this long, refusing late Trys
 * </pre>
 */
public class WalletPaymentsFactory {
    @NotNull
    private Duration defaultHold = Duration.seconds(60);

    @NotNull
    private Duration maxHold = Duration.hours(1);

    @NotNull
    private Duration sweepInterval = Duration.seconds(5);

    @NotNull
    private Duration fenceRetention = Duration.days(7);

    /** What {@link #build} gives: the domain class, and the sweeper to manage with the app's lifecycle. */
    public record Participant(WalletPayments payments, FenceSweeper sweeper) {
    }

    /**
     * The payments and their sweeper, sharing one fence. The sweeper cancels an expired hold with
     * the same work as the coordinator's CancelHold, through the fence, so the two racing release
     * the money once.
     */
    public Participant build(Database database, Clock clock) {
        Fence fence = new Fence(clock);
        WalletPayments payments = new WalletPayments(database, fence, clock,
                defaultHold.toJavaDuration(), maxHold.toJavaDuration());
        FenceSweeper sweeper = new FenceSweeper(database, fence, clock,
                sweepInterval.toJavaDuration(), fenceRetention.toJavaDuration(), payments::giveBack);
        return new Participant(payments, sweeper);
    }

    /**
     * Every duration positive, and a hold shorter than the fence's retention: a finished branch's
     * fence row must outlive every call the coordinator may still send for it (a late Try after
     * the row is gone would be applied and never released).
     */
    @ValidationMethod(message = "payments: defaultHold, maxHold and sweepInterval must be positive, "
            + "defaultHold <= maxHold, and maxHold shorter than fenceRetention")
    public boolean isConsistent() {
        long hold = defaultHold.toMilliseconds();
        long max = maxHold.toMilliseconds();
        return hold > 0 && max > 0 && sweepInterval.toMilliseconds() > 0 && hold <= max
                && max < fenceRetention.toMilliseconds();
    }

    @JsonProperty
    public Duration getDefaultHold() {
        return defaultHold;
    }

    @JsonProperty
    public void setDefaultHold(Duration defaultHold) {
        this.defaultHold = defaultHold;
    }

    @JsonProperty
    public Duration getMaxHold() {
        return maxHold;
    }

    @JsonProperty
    public void setMaxHold(Duration maxHold) {
        this.maxHold = maxHold;
    }

    @JsonProperty
    public Duration getSweepInterval() {
        return sweepInterval;
    }

    @JsonProperty
    public void setSweepInterval(Duration sweepInterval) {
        this.sweepInterval = sweepInterval;
    }

    @JsonProperty
    public Duration getFenceRetention() {
        return fenceRetention;
    }

    @JsonProperty
    public void setFenceRetention(Duration fenceRetention) {
        this.fenceRetention = fenceRetention;
    }
}
