package dev.wizmesh.product.core;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wizmesh.persistence.Database;
import dev.wizmesh.transactions.fence.Fence;
import dev.wizmesh.transactions.fence.FenceSweeper;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.NotNull;
import java.time.Clock;

/**
 * The {@code reservations:} block of product-svc's YAML: how long a TCC reservation waits for
 * its Confirm or Cancel, and how the fence's housekeeping runs.
 *
 * <pre>
 * reservations:
 *   defaultHold: 60s      # a reservation's life when the TryReserve names none (hold_millis 0)
 *   maxHold: 1h           # the longest hold a TryReserve may ask for
 *   sweepInterval: 5s     # how often expired reservations are released (and old fence rows deleted)
 *   fenceRetention: 7d    # finished fence rows kept this long, refusing late Trys
 * </pre>
 */
public class StockReservationsFactory {
    @NotNull
    private Duration defaultHold = Duration.seconds(60);

    @NotNull
    private Duration maxHold = Duration.hours(1);

    @NotNull
    private Duration sweepInterval = Duration.seconds(5);

    @NotNull
    private Duration fenceRetention = Duration.days(7);

    /** What {@link #build} gives: the domain class, and the sweeper to manage with the app's lifecycle. */
    public record Participant(StockReservations reservations, FenceSweeper sweeper) {
    }

    /**
     * The reservations and their sweeper, sharing one fence. The sweeper cancels an expired TCC
     * reservation with the same work as the coordinator's CancelReservation, through the fence,
     * so the two racing give the units back once.
     */
    public Participant build(Database database, Clock clock) {
        Fence fence = new Fence(clock);
        StockReservations reservations = new StockReservations(database, fence, clock,
                defaultHold.toJavaDuration(), maxHold.toJavaDuration());
        FenceSweeper sweeper = new FenceSweeper(database, fence, clock,
                sweepInterval.toJavaDuration(), fenceRetention.toJavaDuration(), reservations::giveBack);
        return new Participant(reservations, sweeper);
    }

    /**
     * Every duration positive, and a hold shorter than the fence's retention: a finished branch's
     * fence row must outlive every call the coordinator may still send for it (a late Try after
     * the row is gone would be applied and never released).
     */
    @ValidationMethod(message = "reservations: defaultHold, maxHold and sweepInterval must be positive, "
            + "defaultHold <= maxHold, and maxHold shorter than fenceRetention")
    @JsonIgnore
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
