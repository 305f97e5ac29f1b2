package dev.wizmesh.order.core;

import dev.wizmesh.order.db.OrderDao;
import dev.wizmesh.order.db.OrderRow;
import dev.wizmesh.order.events.OrderEvents;
import dev.wizmesh.persistence.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Expires a tenant's PENDING orders older than a given age (cron-svc calls it through
 * {@code POST /api/v1/orders/expire-pending}).
 *
 * <p>An order is PENDING while its placement transaction settles it. What happens to an old one depends on that
 * transaction ({@link RunningTransactions}):
 * <ul>
 *   <li>none is running (it ended without settling the order, e.g. FAILED_NEEDS_ATTENTION, or there never was
 *       one): the order goes PENDING → CANCELLED with reason {@value #REASON}, and {@code order.cancelled} goes
 *       into the outbox in the same local transaction, exactly as a buyer's cancel does;</li>
 *   <li>one is still running: the order is left alone and counted as still settling. The coordinator offers no
 *       way to abort a transaction from outside (its driver holds a lease and may be mid-call to a participant),
 *       and it needs none: every transaction has a deadline ({@code transactions.timeout}) past which it
 *       compensates by itself and cancels the order with reason {@code TIMEOUT}, giving stock and money back.
 *       Cancelling here instead would leave them taken for a cancelled order.</li>
 * </ul>
 * Each batch of {@value #BATCH} orders is one tenant transaction holding the orders' row locks, so a transaction
 * that settles one of them at the same moment either commits first (the order is no longer PENDING and is
 * skipped) or waits and then finds it CANCELLED (and changes and announces nothing). A second call finds nothing
 * more to expire: the sweep is naturally idempotent.
 */
public final class PendingOrderExpiry {
    public static final String REASON = "EXPIRED";
    static final int BATCH = 100;

    private final Database database;
    private final OrderEvents events;
    private final Clock clock;

    public PendingOrderExpiry(Database database, OrderEvents events, Clock clock) {
        this.database = Objects.requireNonNull(database, "database");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @param expired orders cancelled now; @param stillSettling old PENDING orders left to their running transaction */
    public record Outcome(int expired, int stillSettling) {
    }

    /** Expires the calling tenant's PENDING orders created more than {@code olderThan} ago. */
    public Outcome expire(UUID tenantId, Duration olderThan) {
        Instant cutoff = clock.instant().minus(olderThan);
        int expired = 0;
        int settling = 0;
        Instant afterAt = null;
        UUID afterId = null;
        while (true) {
            Instant fromAt = afterAt;
            UUID fromId = afterId;
            Batch batch = database.tenants().inTenant(tenantId, h -> {
                OrderDao orders = h.attach(OrderDao.class);
                List<OrderRow> rows = orders.pendingCreatedBefore(cutoff, fromAt, fromId, BATCH);
                int done = 0;
                int left = 0;
                for (OrderRow row : rows) {
                    if (RunningTransactions.of(h, row.id()).isPresent()) {
                        left++;
                    } else if (orders.settle(row.id(), OrderStatus.CANCELLED.name(), REASON) == 1) {
                        events.announce(h, OrderEvents.CANCELLED, row.id()); // with the update: both commit or neither
                        done++;
                    }
                }
                return new Batch(rows, done, left);
            });
            expired += batch.expired();
            settling += batch.settling();
            if (batch.rows().size() < BATCH) {
                return new Outcome(expired, settling);
            }
            OrderRow last = batch.rows().get(batch.rows().size() - 1);
            afterAt = last.createdAt();
            afterId = last.id();
        }
    }

    private record Batch(List<OrderRow> rows, int expired, int settling) {
    }
}
