package dev.wizmesh.transactions.fence;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The participant's side of a TCC or saga transaction: makes Try, Confirm and Cancel safe to
 * repeat and to receive in any order. It handles the three classic anomalies:
 *
 * <ul>
 *   <li><b>idempotence</b>: a repeated Try, Confirm or Cancel finds its step done and is a
 *       {@link FenceOutcome#DUPLICATE}; the business work does not run twice;</li>
 *   <li><b>empty rollback</b>: a Cancel for a branch whose Try never arrived (or failed and
 *       rolled back) records CANCELLED and succeeds without undoing anything
 *       ({@link FenceOutcome#EMPTY_ROLLBACK});</li>
 *   <li><b>suspension</b>: a Try that arrives after its Cancel is refused, forever
 *       ({@link FenceRefusedException}, BRANCH_ALREADY_CANCELLED): the coordinator gave up on the
 *       branch, so a reservation made now would never be confirmed nor released.</li>
 * </ul>
 *
 * <p>Every method works on the <b>caller's</b> handle, which must be a tenant transaction of the
 * branch's tenant ({@code database.tenants().inTenant(id.tenantId(), h -> fence.tryBranch(h, ...))}).
 * The fence row and the business work commit together or not at all; that is what makes the
 * fence exact: there is no moment where the state says TRIED but the reservation is missing, or
 * the reverse. Call the fence before anything else in that transaction, and let an exception end
 * it (roll back).
 *
 * <p>Concurrent calls for one branch serialise on its fence row: each method first makes sure the
 * row exists ({@code INSERT ... ON CONFLICT DO NOTHING}) or finds it, then locks it
 * ({@code SELECT ... FOR UPDATE}) before deciding. Each transaction locks just that one fence row
 * before the business rows, so two fenced calls cannot wait on each other in a cycle.
 *
 * <p>A saga uses the same fence: its action is {@link #tryBranch} (usually with no expiry), its
 * compensation is {@link #cancel}; a saga has no Confirm.
 */
public final class Fence {
    private final Clock clock;

    public Fence(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Try (or a saga action): records TRIED and runs {@code work}, in the caller's transaction.
     *
     * @param expiresAt when an unconfirmed reservation may be cancelled by the {@link FenceSweeper};
     *                  {@code null} for never (a saga action, which its coordinator compensates)
     * @return APPLIED when the work ran; DUPLICATE when the branch was already TRIED or CONFIRMED
     *         (the work did not run again)
     * @throws FenceRefusedException BRANCH_ALREADY_CANCELLED when the Cancel came first (suspension)
     */
    public FenceOutcome tryBranch(Handle handle, BranchId id, Instant expiresAt, BranchWork work) {
        FenceDao fence = attach(handle);
        if (fence.insertIfAbsent(id, FenceState.TRIED, now(), expiresAt)) {
            run(work, handle, id);
            return FenceOutcome.APPLIED;
        }
        return switch (lock(fence, id)) {
            case TRIED, CONFIRMED -> FenceOutcome.DUPLICATE;
            case CANCELLED -> throw FenceRefusedException.alreadyCancelled(id);
        };
    }

    /**
     * Confirm: TRIED runs {@code work} and becomes CONFIRMED (APPLIED); CONFIRMED is a DUPLICATE.
     *
     * @throws FenceRefusedException BRANCH_ALREADY_CANCELLED after a Cancel, BRANCH_NOT_TRIED
     *                               when there is no Try (a coordinator bug: it confirms only
     *                               branches whose Try succeeded)
     */
    public FenceOutcome confirm(Handle handle, BranchId id, BranchWork work) {
        FenceDao fence = attach(handle);
        FenceState found = fence.lockState(id).orElseThrow(() -> FenceRefusedException.notTried(id));
        return switch (found) {
            case TRIED -> {
                run(work, handle, id);
                fence.moveTo(id, FenceState.CONFIRMED, now());
                yield FenceOutcome.APPLIED;
            }
            case CONFIRMED -> FenceOutcome.DUPLICATE;
            case CANCELLED -> throw FenceRefusedException.alreadyCancelled(id);
        };
    }

    /**
     * Cancel (or a saga compensation). No row: records CANCELLED without running {@code work}
     * (EMPTY_ROLLBACK), which also refuses a Try still on its way. TRIED: runs {@code work} and
     * becomes CANCELLED (APPLIED). CANCELLED: DUPLICATE.
     *
     * @throws FenceRefusedException BRANCH_ALREADY_CONFIRMED after a Confirm (a coordinator bug)
     */
    public FenceOutcome cancel(Handle handle, BranchId id, BranchWork work) {
        FenceDao fence = attach(handle);
        if (fence.insertIfAbsent(id, FenceState.CANCELLED, now(), null)) {
            return FenceOutcome.EMPTY_ROLLBACK;
        }
        return switch (lock(fence, id)) {
            case TRIED -> {
                run(work, handle, id);
                fence.moveTo(id, FenceState.CANCELLED, now());
                yield FenceOutcome.APPLIED;
            }
            case CANCELLED -> FenceOutcome.DUPLICATE;
            case CONFIRMED -> throw FenceRefusedException.alreadyConfirmed(id);
        };
    }

    /** The branch's state as this tenant's transaction sees it; empty when it has no row (or is another tenant's). */
    public Optional<FenceState> state(Handle handle, BranchId id) {
        return attach(handle).state(id);
    }

    private static FenceDao attach(Handle handle) {
        if (!handle.isInTransaction()) {
            // autocommit would commit the fence row and the business work separately
            throw new IllegalStateException("The fence must run inside the caller's tenant transaction "
                    + "(database.tenants().inTenant(...))");
        }
        return handle.attach(FenceDao.class);
    }

    /** The row the insert just found (or waited for): locked, so this call decides alone. */
    private static FenceState lock(FenceDao fence, BranchId id) {
        return fence.lockState(id).orElseThrow(() -> new IllegalStateException("The fence row of " + id
                + " vanished between insert and lock: the sweeper deleted it as finished; "
                + "its retention is shorter than the coordinator's retries"));
    }

    private static void run(BranchWork work, Handle handle, BranchId id) {
        try {
            work.apply(handle);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new BranchWorkException(id, e);
        }
    }

    private Instant now() {
        return clock.instant();
    }
}
