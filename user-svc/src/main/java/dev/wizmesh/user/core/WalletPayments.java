package dev.wizmesh.user.core;

import dev.wizmesh.persistence.Database;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.transactions.fence.BranchId;
import dev.wizmesh.transactions.fence.BranchWork;
import dev.wizmesh.transactions.fence.Fence;
import dev.wizmesh.transactions.fence.FenceOutcome;
import dev.wizmesh.user.db.UserDao;
import dev.wizmesh.user.db.WalletDao;
import dev.wizmesh.user.db.WalletHoldDao;
import dev.wizmesh.user.db.WalletHoldRow;
import dev.wizmesh.user.db.WalletRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * user-svc's part in placing an order across services: the buyer pays from their wallet, as a
 * saga step (Debit, compensated by Refund) or a TCC branch (TryHold, then ConfirmHold or
 * CancelHold).
 *
 * <p>Every step runs in ONE transaction of the branch's tenant: first the fence
 * ({@link Fence}), which makes the step safe to repeat and to receive out of order, then the
 * business work, which locks the wallet, moves the money, writes the ledger entry and records
 * in {@code wallet_holds} what the branch took. All of it commits together or not at all: a
 * refused payment (insufficient funds, wrong currency) leaves no fence row, no ledger line and
 * no hold, and the coordinator's Cancel that follows is an empty rollback.
 *
 * <p>The undo (Refund, CancelHold, and the sweeper's cancel of an expired hold) gives back
 * exactly the amount the hold row recorded, never what a repeated request says.
 *
 * <p>Locks are always taken in the same order: the branch's fence row (by the fence), then the
 * wallet row. Concurrent payments from one wallet therefore queue on the wallet, each deciding
 * on the balance the previous one committed, and never wait on each other in a cycle.
 */
public final class WalletPayments {
    static final String SAGA = "SAGA";
    static final String TCC = "TCC";
    static final String HELD = "HELD";
    static final String SPENT = "SPENT";
    static final String RETURNED = "RETURNED";

    private final Database database;
    private final Fence fence;
    private final Clock clock;
    private final Duration defaultHold;
    private final Duration maxHold;

    public WalletPayments(Database database, Fence fence, Clock clock, Duration defaultHold, Duration maxHold) {
        this.database = Objects.requireNonNull(database, "database");
        this.fence = Objects.requireNonNull(fence, "fence");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.defaultHold = Objects.requireNonNull(defaultHold, "defaultHold");
        this.maxHold = Objects.requireNonNull(maxHold, "maxHold");
    }

    /**
     * Saga action: the amount leaves the balance for good (ledger DEBIT). It never expires: only
     * the saga's coordinator undoes it, with {@link #refund}.
     */
    public FenceOutcome debit(BranchId id, Payment payment) {
        return database.tenants().inTenant(id.tenantId(), h -> {
            FenceOutcome outcome = fence.tryBranch(h, id, null, handle -> take(handle, id, payment, SAGA));
            if (outcome == FenceOutcome.DUPLICATE) {
                requireSameRequest(h, id, payment, SAGA);
            }
            return outcome;
        });
    }

    /** Saga compensation: what the Debit took is paid back (ledger REFUND). */
    public FenceOutcome refund(BranchId id) {
        return undo(id);
    }

    /**
     * TCC Try: the amount leaves the spendable balance into {@code held_cents} (ledger HOLD), until
     * {@code holdMillis} from now (0: the configured default). Past that, the sweeper cancels it.
     */
    public FenceOutcome tryHold(BranchId id, Payment payment, long holdMillis) {
        Instant expiresAt = clock.instant().plus(holdFor(holdMillis));
        return database.tenants().inTenant(id.tenantId(), h -> {
            FenceOutcome outcome = fence.tryBranch(h, id, expiresAt, handle -> take(handle, id, payment, TCC));
            if (outcome == FenceOutcome.DUPLICATE) {
                requireSameRequest(h, id, payment, TCC);
            }
            return outcome;
        });
    }

    /**
     * TCC Confirm: the held amount is spent. It leaves {@code held_cents}; the spendable balance
     * does not change (the money left it at the Try), so there is no ledger entry.
     */
    public FenceOutcome confirmHold(BranchId id) {
        return database.tenants().inTenant(id.tenantId(), h -> fence.confirm(h, id, handle -> spend(handle, id)));
    }

    /** TCC Cancel: the held amount goes back to the balance (ledger RELEASE). */
    public FenceOutcome cancelHold(BranchId id) {
        return undo(id);
    }

    /**
     * The undo of a branch, for a Refund, a CancelHold and the sweeper alike: gives back what the
     * hold row recorded, by its mode (a saga debit is refunded, a TCC hold released). Runs only
     * under {@link Fence#cancel} on a TRIED branch, so the row is there and not yet given back.
     */
    public BranchWork giveBack(BranchId id) {
        return h -> {
            WalletHoldRow hold = holdOf(h, id);
            WalletDao wallets = h.attach(WalletDao.class);
            boolean held = TCC.equals(hold.mode());
            // UPDATE ... RETURNING locks the wallet row, after the fence row as always
            long balance = (held
                    ? wallets.moveToHeld(hold.userId(), -hold.amountCents())
                    : wallets.apply(hold.userId(), hold.amountCents()))
                    .orElseThrow(() -> new IllegalStateException("The wallet of hold " + id + " vanished"));
            writeLedger(wallets, id, hold.userId(), hold.amountCents(), held ? "RELEASE" : "REFUND", balance);
            h.attach(WalletHoldDao.class).moveTo(id, RETURNED);
        };
    }

    private FenceOutcome undo(BranchId id) {
        return database.tenants().inTenant(id.tenantId(), h -> fence.cancel(h, id, giveBack(id)));
    }

    /** The forward work of Debit and TryHold. Throws (rolling back the fence row too) when the wallet cannot pay. */
    private void take(Handle h, BranchId id, Payment payment, String mode) {
        WalletDao wallets = h.attach(WalletDao.class);
        WalletRow wallet = lockPayersWallet(h, payment.userId());
        if (!wallet.currency().equals(payment.currency())) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("reason", "the payment is in " + payment.currency() + ", the wallet in " + wallet.currency());
            details.put("field", "currency");
            details.put("walletCurrency", wallet.currency());
            throw new ApiException(ErrorCode.BAD_REQUEST, details);
        }
        if (wallet.balanceCents() < payment.amountCents()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("balanceCents", wallet.balanceCents());
            details.put("amountCents", payment.amountCents());
            throw new ApiException(ErrorCode.INSUFFICIENT_FUNDS, details);
        }
        boolean saga = SAGA.equals(mode);
        long balance = (saga
                ? wallets.apply(payment.userId(), -payment.amountCents())
                : wallets.moveToHeld(payment.userId(), payment.amountCents()))
                .orElseThrow();
        writeLedger(wallets, id, payment.userId(), -payment.amountCents(), saga ? "DEBIT" : "HOLD", balance);
        if (!h.attach(WalletHoldDao.class).insert(id, payment.userId(), payment.amountCents(), mode, saga ? SPENT : HELD)) {
            throw branchReused(id, "it already paid once (its fence row was deleted after the retention period)");
        }
    }

    /** The Confirm work: the held amount leaves the wallet. */
    private void spend(Handle h, BranchId id) {
        WalletHoldRow hold = holdOf(h, id);
        if (!TCC.equals(hold.mode())) {
            // a saga debit has no Confirm; confirming it would make it impossible to refund
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("reason", "branch " + id.branch() + " of transaction " + id.xid() + " is a saga debit, not a hold");
            details.put("xid", id.xid());
            details.put("branch", id.branch());
            throw new ApiException(ErrorCode.BAD_REQUEST, details);
        }
        h.attach(WalletDao.class).spendHeld(hold.userId(), hold.amountCents());
        h.attach(WalletHoldDao.class).moveTo(id, SPENT);
    }

    /**
     * The payer's wallet, locked for the rest of the transaction. An unknown (or deleted) user is
     * USER_NOT_FOUND; a user without a wallet WALLET_NOT_FOUND. Both final for the coordinator.
     */
    private static WalletRow lockPayersWallet(Handle h, UUID userId) {
        if (h.attach(UserDao.class).find(userId).isEmpty()) {
            throw new ApiException(ErrorCode.USER_NOT_FOUND, Map.of("userId", userId));
        }
        return h.attach(WalletDao.class).lock(userId)
                .orElseThrow(() -> new ApiException(ErrorCode.WALLET_NOT_FOUND, Map.of("userId", userId)));
    }

    /**
     * A repeated Debit or TryHold is answered DUPLICATE only if it is the same payment; the same
     * xid/branch for another user, amount or mode is a coordinator bug, refused rather than
     * reported as done.
     */
    private static void requireSameRequest(Handle h, BranchId id, Payment payment, String mode) {
        WalletHoldRow first = holdOf(h, id);
        if (!first.userId().equals(payment.userId()) || first.amountCents() != payment.amountCents()
                || !first.mode().equals(mode)) {
            throw branchReused(id, "it paid " + first.amountCents() + " from user " + first.userId()
                    + " as a " + first.mode() + " branch");
        }
    }

    private static WalletHoldRow holdOf(Handle h, BranchId id) {
        // the fence found the branch TRIED or CONFIRMED, and the hold row commits with that state
        return h.attach(WalletHoldDao.class).find(id)
                .orElseThrow(() -> new IllegalStateException("Branch " + id + " has a fence row but no hold row"));
    }

    /**
     * One ledger line per balance change, keyed by the branch and the kind of step, so the ledger
     * names the order payment it belongs to. The fence already runs each step once; the unique
     * key is a second net.
     */
    private static void writeLedger(WalletDao wallets, BranchId id, UUID userId, long amountCents, String kind,
                                    long balanceAfter) {
        String key = ledgerKey(kind, id);
        if (wallets.record(UUID.randomUUID(), id.tenantId(), userId, amountCents, kind, key, balanceAfter).isEmpty()) {
            throw branchReused(id, "ledger key '" + key + "' is taken");
        }
    }

    /** E.g. {@code order-payment:DEBIT:<xid>/<branch>}; a branch has no '/', so the key names one branch. */
    static String ledgerKey(String kind, BranchId id) {
        return "order-payment:" + kind + ":" + id.xid() + "/" + id.branch();
    }

    private static ApiException branchReused(BranchId id, String why) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", "branch " + id.branch() + " of transaction " + id.xid() + " was used for another payment: " + why);
        details.put("xid", id.xid());
        details.put("branch", id.branch());
        return new ApiException(ErrorCode.CONFLICT, details);
    }

    private Duration holdFor(long holdMillis) {
        if (holdMillis == 0) {
            return defaultHold;
        }
        if (holdMillis < 0 || holdMillis > maxHold.toMillis()) {
            throw Payment.invalid("hold_millis", "hold_millis must be 0 (the default, " + defaultHold.toMillis()
                    + ") or 1 to " + maxHold.toMillis() + ", was " + holdMillis);
        }
        return Duration.ofMillis(holdMillis);
    }
}
