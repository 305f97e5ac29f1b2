package dev.wizmesh.product.core;

import dev.wizmesh.persistence.Database;
import dev.wizmesh.persistence.tenancy.TenantTransactions;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.product.db.ProductDao;
import dev.wizmesh.product.db.StockReservationDao;
import dev.wizmesh.transactions.fence.BranchId;
import dev.wizmesh.transactions.fence.BranchWork;
import dev.wizmesh.transactions.fence.Fence;
import dev.wizmesh.transactions.fence.FenceOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * product-svc's part in placing an order across services: stock taken by a saga action or held
 * by a TCC Try, and the Confirm or undo that follows, for the caller's tenant.
 *
 * <p>Every step is one transaction of that tenant in which the {@link Fence} runs first and then
 * the business work: the fence row, the product counters and the {@code stock_reservations}
 * lines commit together or not at all. The fence makes repeats and out-of-order calls safe (a
 * repeat is a DUPLICATE that changes nothing, an undo before its forward step an EMPTY_ROLLBACK
 * that refuses the forward step for good); the lines make the undo exact, because it gives back
 * what the forward step recorded, never what a later call says.
 *
 * <p>The forward step locks all its product rows first, in id order, then checks every line,
 * then changes them: a line that cannot be served (unknown product, too little stock) throws,
 * which rolls back the whole transaction, fence row included, so nothing is ever half taken.
 */
public class StockReservations {
    private final Database database;
    private final Fence fence;
    private final Clock clock;
    private final Duration defaultHold;
    private final Duration maxHold;

    /**
     * @param defaultHold how long a TCC reservation waits for its Confirm when the Try names no hold
     * @param maxHold     the longest hold a Try may ask for
     */
    public StockReservations(Database database, Fence fence, Clock clock, Duration defaultHold, Duration maxHold) {
        this.database = database;
        this.fence = fence;
        this.clock = clock;
        this.defaultHold = defaultHold;
        this.maxHold = maxHold;
    }

    /** Saga action: the units leave {@code available} for good. Never expires: the saga's coordinator compensates. */
    public FenceOutcome reserve(String xid, String branch, List<StockLines.Asked> asked) {
        BranchId id = branchOfCaller(xid, branch);
        StockLines lines = StockLines.of(asked);
        return database.tenants().inTenant(id.tenantId(), h -> forward(h, id, null, lines, ReservationMode.SAGA));
    }

    /** Saga compensation: what {@link #reserve} took goes back to {@code available}. */
    public FenceOutcome release(String xid, String branch) {
        BranchId id = branchOfCaller(xid, branch);
        return database.tenants().inTenant(id.tenantId(), h -> fence.cancel(h, id, giveBack(id)));
    }

    /**
     * TCC Try: the units move from {@code available} to {@code reserved} until {@code holdMillis}
     * from now (0: the default hold); after that the sweeper cancels the branch itself.
     */
    public FenceOutcome tryReserve(String xid, String branch, List<StockLines.Asked> asked, long holdMillis) {
        BranchId id = branchOfCaller(xid, branch);
        StockLines lines = StockLines.of(asked);
        Instant expiresAt = clock.instant().plus(hold(holdMillis));
        return database.tenants().inTenant(id.tenantId(), h -> forward(h, id, expiresAt, lines, ReservationMode.TCC));
    }

    /** TCC Confirm: the held units are sold (they leave {@code reserved}). */
    public FenceOutcome confirm(String xid, String branch) {
        BranchId id = branchOfCaller(xid, branch);
        return database.tenants().inTenant(id.tenantId(), h -> fence.confirm(h, id, sell(id)));
    }

    /** TCC Cancel: the held units go back to {@code available}. */
    public FenceOutcome cancel(String xid, String branch) {
        BranchId id = branchOfCaller(xid, branch);
        return database.tenants().inTenant(id.tenantId(), h -> fence.cancel(h, id, giveBack(id)));
    }

    /**
     * The undo of a branch's forward step, as the fence runs it for a Cancel, a saga
     * compensation, or the sweeper's cancel of an expired reservation: each recorded line goes
     * back where it came from (a saga's to {@code available}; a Try's from {@code reserved} to
     * {@code available}). Release and Cancel share it, so a coordinator that undoes a branch
     * with the other RPC still gives back exactly what was taken.
     */
    public BranchWork giveBack(BranchId id) {
        return handle -> {
            ProductDao products = handle.attach(ProductDao.class);
            List<ReservedLine> lines = recordedLines(handle, id);
            for (ReservedLine line : lines) {
                int changed = switch (line.mode()) {
                    case SAGA -> products.returnTaken(line.productId(), line.quantity());
                    case TCC -> products.releaseReserved(line.productId(), line.quantity());
                };
                requireOneRow(changed, id, line);
            }
            ReservationMode mode = lines.get(0).mode();
            handle.attach(StockReservationDao.class).moveState(id, mode.afterForwardStep(), ReservationState.RETURNED);
        };
    }

    /**
     * The forward step through the fence. A DUPLICATE is a repeat only if it asks for what the
     * branch recorded: the same branch reused for other lines (or the other mode) is a
     * coordinator bug, refused with CONFLICT, instead of an "ok" for units never reserved.
     */
    private FenceOutcome forward(Handle handle, BranchId id, Instant expiresAt, StockLines lines, ReservationMode mode) {
        FenceOutcome outcome = fence.tryBranch(handle, id, expiresAt, take(id, lines, mode));
        if (outcome == FenceOutcome.DUPLICATE) {
            requireSameAsRecorded(handle, id, lines, mode);
        }
        return outcome;
    }

    private static void requireSameAsRecorded(Handle handle, BranchId id, StockLines lines, ReservationMode mode) {
        List<ReservedLine> recorded = recordedLines(handle, id);
        Map<UUID, Long> asked = lines.lines().stream()
                .collect(Collectors.toMap(StockLine::productId, StockLine::quantity));
        Map<UUID, Long> taken = recorded.stream()
                .collect(Collectors.toMap(ReservedLine::productId, ReservedLine::quantity));
        if (recorded.get(0).mode() != mode || !asked.equals(taken)) {
            throw new ApiException(ErrorCode.CONFLICT, Map.of("reason", "branch " + id.branch() + " of transaction "
                    + id.xid() + " already reserved other lines (" + recorded.get(0).mode() + "); a repeat must ask for the same"));
        }
    }

    /** Locks, checks, then changes every line; any refusal throws before a counter changed. */
    private BranchWork take(BranchId id, StockLines lines, ReservationMode mode) {
        return handle -> {
            ProductDao products = handle.attach(ProductDao.class);
            Map<UUID, Product> locked = products.lockInIdOrder(lines.productIds()).stream()
                    .collect(Collectors.toMap(Product::id, Function.identity()));
            for (StockLine line : lines.lines()) {
                Product product = locked.get(line.productId());
                if (product == null) {
                    // unknown, deleted, or another tenant's (row-level security hides it): all the same
                    throw ProductIds.notFound(line.productId());
                }
                if (product.available() < line.quantity()) {
                    throw insufficientStock(product, line.quantity());
                }
            }
            StockReservationDao reservations = handle.attach(StockReservationDao.class);
            for (StockLine line : lines.lines()) {
                int changed = mode == ReservationMode.SAGA
                        ? products.takeAvailable(line.productId(), line.quantity())
                        : products.holdAvailable(line.productId(), line.quantity());
                // the row is locked and was checked: 0 rows here would be a bug, not a race
                requireOneRow(changed, id, line.productId());
                reservations.insert(id, line.productId(), line.quantity(), mode, mode.afterForwardStep());
            }
        };
    }

    /** Confirm's work: every held line leaves {@code reserved}. */
    private BranchWork sell(BranchId id) {
        return handle -> {
            List<ReservedLine> lines = recordedLines(handle, id);
            if (lines.get(0).mode() == ReservationMode.SAGA) {
                // the coordinator mixed its calls: a saga action takes units at once, there is
                // nothing to confirm. Refused, so the fence stays TRIED and its compensation still works.
                throw new ApiException(ErrorCode.BAD_REQUEST, Map.of("reason", "branch " + id.branch()
                        + " of transaction " + id.xid() + " was taken by ReserveStock, a saga action, which has no Confirm"));
            }
            ProductDao products = handle.attach(ProductDao.class);
            for (ReservedLine line : lines) {
                requireOneRow(products.sellReserved(line.productId(), line.quantity()), id, line);
            }
            handle.attach(StockReservationDao.class).moveState(id, ReservationState.HELD, ReservationState.SOLD);
        };
    }

    private static List<ReservedLine> recordedLines(Handle handle, BranchId id) {
        List<ReservedLine> lines = handle.attach(StockReservationDao.class).lines(id);
        if (lines.isEmpty()) {
            // the fence says TRIED, and a Try records its lines in the same transaction
            throw new IllegalStateException("Branch " + id + " is TRIED but has no stock_reservations lines");
        }
        return lines;
    }

    /** The branch, for the tenant of the call being served (from its metadata, never from the message). */
    private static BranchId branchOfCaller(String xid, String branch) {
        UUID tenant = TenantTransactions.currentTenant();
        try {
            return new BranchId(tenant, xid, branch);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw StockLines.badRequest(e.getMessage());
        }
    }

    private Duration hold(long holdMillis) {
        if (holdMillis == 0) {
            return defaultHold;
        }
        if (holdMillis < 0 || holdMillis > maxHold.toMillis()) {
            throw StockLines.badRequest("hold_millis must be 1 to " + maxHold.toMillis()
                    + " (or 0 for the default of " + defaultHold.toMillis() + "), was " + holdMillis);
        }
        return Duration.ofMillis(holdMillis);
    }

    private static ApiException insufficientStock(Product product, long requested) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("productId", product.id());
        details.put("available", product.available());
        details.put("requested", requested);
        return new ApiException(ErrorCode.INSUFFICIENT_STOCK, details);
    }

    private static void requireOneRow(int changed, BranchId id, Object line) {
        if (changed != 1) {
            throw new IllegalStateException("Branch " + id + ": the stock change of " + line
                    + " matched " + changed + " product rows, not 1");
        }
    }
}
