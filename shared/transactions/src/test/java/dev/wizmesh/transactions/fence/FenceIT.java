package dev.wizmesh.transactions.fence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wizmesh.persistence.Database;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.testing.PostgresExtension;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fence against a real PostgreSQL, one anomaly per test: each test has a tenant of its own
 * with two products, and calls the fence the way a participant's endpoint would, one tenant
 * transaction per incoming call.
 */
class FenceIT {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    static FenceDatabase db;
    static Database database;
    static StockParticipant stock;
    static final Fence FENCE = new Fence(new MutableClock(Instant.parse("2030-01-01T00:00:00Z")));

    UUID tenant;

    @BeforeAll
    static void open() throws Exception {
        db = FenceDatabase.open(POSTGRES.database(), 4);
        database = db.database();
        stock = new StockParticipant(database);
    }

    @AfterAll
    static void close() throws Exception {
        db.close();
    }

    @BeforeEach
    void aTenantWithStock() {
        tenant = UUID.randomUUID();
        stock.addStock(tenant, "apple", 10);
        stock.addStock(tenant, "pear", 10);
    }

    BranchId branch(String xid) {
        return new BranchId(tenant, xid, "reserve-stock");
    }

    Map<String, Integer> lines(int apples, int pears) {
        Map<String, Integer> lines = new LinkedHashMap<>();
        lines.put("apple", apples);
        lines.put("pear", pears);
        return lines;
    }

    // one incoming call each: its own tenant transaction, as a participant's endpoint runs it
    FenceOutcome tryCall(BranchId id, Map<String, Integer> lines) {
        return database.tenants().inTenant(id.tenantId(), h -> FENCE.tryBranch(h, id,
                Instant.parse("2030-01-01T00:10:00Z"), stock.reserve(id, lines)));
    }

    FenceOutcome confirmCall(BranchId id) {
        return database.tenants().inTenant(id.tenantId(), h -> FENCE.confirm(h, id, stock.sell(id)));
    }

    FenceOutcome cancelCall(BranchId id) {
        return database.tenants().inTenant(id.tenantId(), h -> FENCE.cancel(h, id, stock.release(id)));
    }

    Optional<FenceState> state(UUID inTenant, BranchId id) {
        return database.tenants().inTenant(inTenant, h -> FENCE.state(h, id));
    }

    @Test
    void tryThenConfirmSellsTheReservation() {
        BranchId id = branch("tx-confirm");
        assertThat(tryCall(id, lines(2, 3))).isEqualTo(FenceOutcome.APPLIED);
        assertThat(state(tenant, id)).contains(FenceState.TRIED);
        assertThat(stock.stock(tenant, "apple")).isEqualTo("8/2/0");

        assertThat(confirmCall(id)).isEqualTo(FenceOutcome.APPLIED);
        assertThat(state(tenant, id)).contains(FenceState.CONFIRMED);
        assertThat(stock.stock(tenant, "apple")).isEqualTo("8/0/2");
        assertThat(stock.stock(tenant, "pear")).isEqualTo("7/0/3");
        assertThat(stock.reservations(tenant)).isZero();
    }

    @Test
    void aTryWhoseResponseWasLostIsUndoneByTheCancel() {
        BranchId id = branch("tx-lost-response");
        tryCall(id, lines(4, 1)); // committed; the coordinator never heard back, times out, cancels
        assertThat(stock.stock(tenant, "apple")).isEqualTo("6/4/0");

        assertThat(cancelCall(id)).isEqualTo(FenceOutcome.APPLIED);
        assertThat(state(tenant, id)).contains(FenceState.CANCELLED);
        assertThat(stock.stock(tenant, "apple")).isEqualTo("10/0/0");
        assertThat(stock.stock(tenant, "pear")).isEqualTo("10/0/0");
        assertThat(stock.reservations(tenant)).isZero();
    }

    @Test
    void repeatedTryAndConfirmAreDuplicatesThatRunNothing() {
        BranchId id = branch("tx-repeat-confirm");
        assertThat(tryCall(id, lines(1, 1))).isEqualTo(FenceOutcome.APPLIED);
        assertThat(tryCall(id, lines(1, 1))).isEqualTo(FenceOutcome.DUPLICATE);
        assertThat(confirmCall(id)).isEqualTo(FenceOutcome.APPLIED);
        assertThat(confirmCall(id)).isEqualTo(FenceOutcome.DUPLICATE);
        assertThat(tryCall(id, lines(1, 1))).isEqualTo(FenceOutcome.DUPLICATE); // a very late Try retry

        assertThat(stock.steps(id, "try")).isEqualTo(1);
        assertThat(stock.steps(id, "confirm")).isEqualTo(1);
        assertThat(stock.stock(tenant, "apple")).isEqualTo("9/0/1");
    }

    @Test
    void aRepeatedCancelIsADuplicateThatRunsNothing() {
        BranchId id = branch("tx-repeat-cancel");
        tryCall(id, lines(3, 1));
        assertThat(cancelCall(id)).isEqualTo(FenceOutcome.APPLIED);
        assertThat(cancelCall(id)).isEqualTo(FenceOutcome.DUPLICATE);
        assertThat(cancelCall(id)).isEqualTo(FenceOutcome.DUPLICATE);

        assertThat(stock.steps(id, "cancel")).isEqualTo(1);
        assertThat(stock.stock(tenant, "apple")).isEqualTo("10/0/0");
    }

    @Test
    void aConfirmAfterTheCancelIsRefused() {
        BranchId id = branch("tx-confirm-after-cancel");
        tryCall(id, lines(1, 1));
        cancelCall(id);

        assertThatThrownBy(() -> confirmCall(id))
                .isInstanceOfSatisfying(FenceRefusedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BRANCH_ALREADY_CANCELLED);
                    assertThat(e.found()).contains(FenceState.CANCELLED);
                    assertThat(e.branchId()).isEqualTo(id);
                })
                .hasMessage("Branch reserve-stock of transaction tx-confirm-after-cancel was already cancelled");
        assertThat(stock.steps(id, "confirm")).isZero();
        assertThat(stock.stock(tenant, "apple")).isEqualTo("10/0/0");
    }

    @Test
    void aCancelAfterTheConfirmIsRefused() {
        BranchId id = branch("tx-cancel-after-confirm");
        tryCall(id, lines(1, 1));
        confirmCall(id);

        assertThatThrownBy(() -> cancelCall(id))
                .isInstanceOfSatisfying(FenceRefusedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BRANCH_ALREADY_CONFIRMED);
                    assertThat(e.found()).contains(FenceState.CONFIRMED);
                });
        assertThat(state(tenant, id)).contains(FenceState.CONFIRMED);
        assertThat(stock.stock(tenant, "apple")).isEqualTo("9/0/1");
    }

    @Test
    void aConfirmWithoutATryIsRefusedAndRecordsNothing() {
        BranchId id = branch("tx-confirm-untried");
        assertThatThrownBy(() -> confirmCall(id))
                .isInstanceOfSatisfying(FenceRefusedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BRANCH_NOT_TRIED);
                    assertThat(e.found()).isEmpty();
                    assertThat(e.details()).containsEntry("state", "NONE");
                });
        assertThat(state(tenant, id)).isEmpty();
    }

    @Test
    void aCancelBeforeItsTryIsAnEmptyRollbackAndTheTryIsRefusedForever() {
        BranchId id = branch("tx-suspended");
        // the Try is delayed in the network; the coordinator times out and cancels first
        assertThat(cancelCall(id)).isEqualTo(FenceOutcome.EMPTY_ROLLBACK);
        assertThat(stock.steps(id, "cancel")).isZero(); // nothing to undo, nothing undone
        assertThat(state(tenant, id)).contains(FenceState.CANCELLED);

        // then the Try arrives: refused, so no reservation is left hanging
        assertThatThrownBy(() -> tryCall(id, lines(2, 2)))
                .isInstanceOfSatisfying(FenceRefusedException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.BRANCH_ALREADY_CANCELLED));
        // the coordinator retries its Cancel; the Try is retried too: still refused
        assertThat(cancelCall(id)).isEqualTo(FenceOutcome.DUPLICATE);
        assertThatThrownBy(() -> tryCall(id, lines(2, 2))).isInstanceOf(FenceRefusedException.class);

        assertThat(stock.steps(id, "try")).isZero();
        assertThat(stock.stock(tenant, "apple")).isEqualTo("10/0/0");
        assertThat(stock.reservations(tenant)).isZero();
    }

    @Test
    void aTryThatFailsHalfwayLeavesNothingSoItsCancelIsAnEmptyRollback() {
        BranchId id = branch("tx-partial");
        // apple is reserved (UPDATE + INSERT written), then pear has only 10 of 11: the work throws
        assertThatThrownBy(() -> tryCall(id, lines(3, 11)))
                .isInstanceOf(IllegalStateException.class).hasMessage("not enough pear");

        // the transaction rolled back: no fence row, and not the apple line either
        assertThat(state(tenant, id)).isEmpty();
        assertThat(stock.stock(tenant, "apple")).isEqualTo("10/0/0");
        assertThat(stock.reservations(tenant)).isZero();

        // the coordinator saw the Try fail and cancels: nothing to release
        assertThat(cancelCall(id)).isEqualTo(FenceOutcome.EMPTY_ROLLBACK);
        assertThat(stock.stock(tenant, "apple")).isEqualTo("10/0/0");
        // a retry of the Try (even one that would now succeed) comes too late
        assertThatThrownBy(() -> tryCall(id, lines(3, 1)))
                .isInstanceOfSatisfying(FenceRefusedException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.BRANCH_ALREADY_CANCELLED));
        assertThat(stock.stock(tenant, "apple")).isEqualTo("10/0/0");
    }

    @Test
    void aCheckedFailureOfTheWorkIsWrappedAndRecordsNothing() {
        BranchId id = branch("tx-checked");
        assertThatThrownBy(() -> database.tenants().inTenant(tenant, h -> FENCE.tryBranch(h, id, null, h2 -> {
            throw new IOException("disk full");
        }))).isInstanceOfSatisfying(BranchWorkException.class, e -> assertThat(e.branchId()).isEqualTo(id))
                .hasRootCauseInstanceOf(IOException.class);
        assertThat(state(tenant, id)).isEmpty();
    }

    @Test
    void anotherTenantCannotSeeConfirmOrCancelTheBranch() {
        BranchId id = branch("tx-tenant-a");
        tryCall(id, lines(1, 1));
        UUID other = UUID.randomUUID();

        // tenant B's transaction sees no such branch, neither under A's id nor under its own
        assertThat(state(other, id)).isEmpty();
        assertThat(state(other, new BranchId(other, id.xid(), id.branch()))).isEmpty();
        // so B cannot confirm it: for B it was never tried
        assertThatThrownBy(() -> database.tenants().inTenant(other, h -> FENCE.confirm(h, id, stock.sell(id))))
                .isInstanceOfSatisfying(FenceRefusedException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.BRANCH_NOT_TRIED));
        // nor record a Cancel on A's behalf: row-level security refuses a row of another tenant
        assertThatThrownBy(() -> database.tenants().inTenant(other, h -> FENCE.cancel(h, id, BranchWork.NOTHING)))
                .hasMessageContaining("row-level security");

        assertThat(state(tenant, id)).contains(FenceState.TRIED);
        assertThat(stock.stock(tenant, "apple")).isEqualTo("9/1/0");
    }

    @Test
    void theFenceRefusesAHandleOutsideATransaction() {
        Jdbi plain = Jdbi.create(db.dataSource()).installPlugin(new SqlObjectPlugin());
        BranchId id = branch("tx-autocommit");
        assertThatThrownBy(() -> plain.useHandle(h -> FENCE.cancel(h, id, BranchWork.NOTHING)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inside the caller's tenant transaction");
    }

    @Test
    void aSagaActionMayNeverExpire() {
        BranchId id = new BranchId(tenant, "saga-1", "reserve-stock");
        FenceOutcome action = database.tenants().inTenant(tenant,
                h -> FENCE.tryBranch(h, id, null, stock.reserve(id, lines(1, 1))));
        assertThat(action).isEqualTo(FenceOutcome.APPLIED);
        // the compensation is a Cancel
        assertThat(cancelCall(id)).isEqualTo(FenceOutcome.APPLIED);
        assertThat(stock.stock(tenant, "pear")).isEqualTo("10/0/0");
    }
}
