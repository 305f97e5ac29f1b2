package dev.wizmesh.transactions.fence;

import dev.wizmesh.persistence.Database;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fence's housekeeping, on a single daemon thread of its own, every {@code interval}:
 *
 * <ol>
 *   <li><b>Expired reservations.</b> A TRIED branch past its {@code expires_at} was abandoned
 *       (the coordinator crashed, or its Cancel never arrived). The sweeper cancels it through
 *       {@link Fence#cancel} with the participant's own cancel work, in a transaction of the
 *       branch's tenant. Because it goes through the fence, a coordinator's Cancel racing it
 *       takes turns on the row: the reservation is released exactly once. A Confirm that won the
 *       race makes the sweeper's cancel a refusal, which it skips.</li>
 *   <li><b>Retention.</b> CONFIRMED and CANCELLED rows last changed more than {@code retention}
 *       ago are deleted in batches, tenant by tenant. A deleted CANCELLED row can no longer refuse
 *       a late Try, so retention must exceed the coordinator's longest transaction timeout plus
 *       its retry window (default 7 days). TRIED rows are never deleted.</li>
 * </ol>
 *
 * <p>Finding expired branches of every tenant needs a read that row-level security would
 * normally forbid: an unscoped transaction sees no tenant's rows. The scan therefore runs in an
 * unscoped transaction that turns on the table's SELECT-only {@code recovery_read} policy for
 * itself ({@link FenceRecoveryDao}), reads only keys, and ends. Nothing is changed in it, and no
 * tenant's work ever runs in it: each key is then handled in its own tenant transaction.
 */
public final class FenceSweeper implements Managed {
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    /** Branches handled per scan: a backlog drains over several runs instead of one long one. */
    static final int BATCH = 500;

    private static final Logger LOG = LoggerFactory.getLogger(FenceSweeper.class);

    private final Database database;
    private final Fence fence;
    private final Clock clock;
    private final Duration interval;
    private final Duration retention;
    private final Function<BranchId, BranchWork> expiredCancel;

    private final AtomicLong sweeps = new AtomicLong();
    private final AtomicLong expiredCancelled = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    private ScheduledExecutorService scheduler;

    /**
     * @param expiredCancel the participant's cancel work for a branch, the same it runs for the
     *                      coordinator's Cancel (e.g. release the branch's reservation)
     */
    public FenceSweeper(Database database, Fence fence, Clock clock, Duration interval, Duration retention,
                        Function<BranchId, BranchWork> expiredCancel) {
        this.database = Objects.requireNonNull(database, "database");
        this.fence = Objects.requireNonNull(fence, "fence");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.interval = requirePositive(interval, "interval");
        this.retention = requirePositive(retention, "retention");
        this.expiredCancel = Objects.requireNonNull(expiredCancel, "expiredCancel");
    }

    @Override
    public synchronized void start() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "fence-sweeper");
                thread.setDaemon(true);
                return thread;
            });
            scheduler.scheduleWithFixedDelay(this::sweepLogged, interval.toMillis(), interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void stop() throws InterruptedException {
        if (scheduler != null) {
            scheduler.shutdown();
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                scheduler.shutdownNow();
            }
            scheduler = null;
        }
    }

    /** One run: cancels expired branches, then deletes finished rows past retention. */
    public void sweep() {
        Instant now = clock.instant();
        cancelExpired(now);
        deleteFinished(now.minus(retention));
        sweeps.incrementAndGet();
    }

    private void sweepLogged() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again: log, count, try next time
            failures.incrementAndGet();
            LOG.warn("Fence sweep failed; retrying in {}", interval, e);
        }
    }

    private void cancelExpired(Instant now) {
        List<BranchId> expired = database.unscoped().inTransaction(h -> {
            FenceRecoveryDao recovery = h.attach(FenceRecoveryDao.class);
            recovery.enableRecoveryRead();
            return recovery.expiredTries(now, BATCH);
        });
        for (BranchId id : expired) {
            try {
                FenceOutcome outcome = database.tenants().inTenant(id.tenantId(),
                        h -> fence.cancel(h, id, expiredCancel.apply(id)));
                if (outcome == FenceOutcome.APPLIED) {
                    expiredCancelled.incrementAndGet();
                    LOG.info("Cancelled expired branch {}", id);
                }
            } catch (FenceRefusedException e) {
                // confirmed since the scan: the Confirm won, nothing to release
                LOG.debug("Expired branch {} was confirmed meanwhile", id);
            } catch (RuntimeException e) {
                // this branch's cancel work failed and rolled back; the others go on
                failures.incrementAndGet();
                LOG.warn("Cancelling expired branch {} failed; retrying next sweep", id, e);
            }
        }
    }

    private void deleteFinished(Instant cutoff) {
        List<UUID> tenants = database.unscoped().inTransaction(h -> {
            FenceRecoveryDao recovery = h.attach(FenceRecoveryDao.class);
            recovery.enableRecoveryRead();
            return recovery.tenantsWithFinishedBefore(cutoff);
        });
        for (UUID tenant : tenants) {
            int batch;
            do {
                // one short transaction per batch: no long-held locks, no huge undo
                batch = database.tenants().inTenant(tenant,
                        h -> h.attach(FenceDao.class).deleteFinishedBefore(cutoff, BATCH));
                deleted.addAndGet(batch);
            } while (batch == BATCH);
        }
    }

    /** Completed runs (scheduled or by {@link #sweep()}). */
    public long sweeps() {
        return sweeps.get();
    }

    /** Expired TRIED branches this sweeper cancelled (cancel work applied). */
    public long expiredCancelled() {
        return expiredCancelled.get();
    }

    /** Finished fence rows deleted after their retention. */
    public long deleted() {
        return deleted.get();
    }

    /** Failed runs, and failed cancels of single branches. */
    public long failures() {
        return failures.get();
    }

    private static Duration requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }
}
