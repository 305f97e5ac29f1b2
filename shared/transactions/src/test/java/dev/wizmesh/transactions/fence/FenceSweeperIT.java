package dev.wizmesh.transactions.fence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wizmesh.persistence.Database;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.testing.PostgresExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sweeper against a real PostgreSQL, with a clock the test moves: abandoned reservations of
 * every tenant are released once, finished rows go after their retention, nothing else is
 * touched. The sweeper sees every tenant's rows, so each test starts from empty tables.
 */
class FenceSweeperIT {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    static final Duration RETENTION = Duration.ofDays(7);

    static FenceDatabase db;
    static Database database;
    static StockParticipant stock;

    MutableClock clock;
    Fence fence;
    UUID tenantA;
    UUID tenantB;

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
    void emptyTablesAndTwoTenants() throws Exception {
        db.truncate("tx_fence", "test_stock", "test_reservations", "test_work_log");
        clock = new MutableClock(T0);
        fence = new Fence(clock);
        tenantA = UUID.randomUUID();
        tenantB = UUID.randomUUID();
        stock.addStock(tenantA, "apple", 10);
        stock.addStock(tenantB, "apple", 10);
    }

    FenceSweeper sweeper(Duration interval) {
        return new FenceSweeper(database, fence, clock, interval, RETENTION, stock::release);
    }

    void tryBranch(BranchId id, Instant expiresAt) {
        database.tenants().inTenant(id.tenantId(),
                h -> fence.tryBranch(h, id, expiresAt, stock.reserve(id, Map.of("apple", 2))));
    }

    Optional<FenceState> state(BranchId id) {
        return database.tenants().inTenant(id.tenantId(), h -> fence.state(h, id));
    }

    @Test
    void expiredReservationsOfEveryTenantAreCancelledOnceAndUnexpiredOnesLeft() {
        BranchId expiredA = new BranchId(tenantA, "tx-a", "reserve-stock");
        BranchId expiredB = new BranchId(tenantB, "tx-b", "reserve-stock");
        BranchId pendingA = new BranchId(tenantA, "tx-a2", "reserve-stock");
        BranchId sagaA = new BranchId(tenantA, "saga-a", "reserve-stock");
        tryBranch(expiredA, T0.plus(Duration.ofMinutes(1)));
        tryBranch(expiredB, T0.plus(Duration.ofMinutes(1)));
        tryBranch(pendingA, T0.plus(Duration.ofHours(1)));
        tryBranch(sagaA, null); // a saga action: its coordinator compensates it, never the sweeper
        assertThat(stock.stock(tenantA, "apple")).isEqualTo("4/6/0");

        FenceSweeper sweeper = sweeper(Duration.ofSeconds(1));
        sweeper.sweep(); // nothing has expired yet
        assertThat(sweeper.expiredCancelled()).isZero();

        clock.advance(Duration.ofMinutes(2));
        sweeper.sweep();
        assertThat(sweeper.expiredCancelled()).isEqualTo(2);
        assertThat(state(expiredA)).contains(FenceState.CANCELLED);
        assertThat(state(expiredB)).contains(FenceState.CANCELLED);
        assertThat(state(pendingA)).contains(FenceState.TRIED);
        assertThat(state(sagaA)).contains(FenceState.TRIED);
        assertThat(stock.stock(tenantA, "apple")).isEqualTo("6/4/0");
        assertThat(stock.stock(tenantB, "apple")).isEqualTo("10/0/0");

        // a second run finds nothing new; the coordinator's own Cancel, arriving late, is a duplicate
        sweeper.sweep();
        FenceOutcome late = database.tenants().inTenant(tenantA, h -> fence.cancel(h, expiredA, stock.release(expiredA)));
        assertThat(late).isEqualTo(FenceOutcome.DUPLICATE);
        assertThat(sweeper.expiredCancelled()).isEqualTo(2);
        assertThat(stock.steps(expiredA, "cancel")).isEqualTo(1);
        assertThat(stock.steps(expiredB, "cancel")).isEqualTo(1);
        assertThat(stock.stock(tenantA, "apple")).isEqualTo("6/4/0");
        // and a Confirm after the reservation expired is refused: the coordinator was too late
        assertThatThrownBy(() -> database.tenants().inTenant(tenantB, h -> fence.confirm(h, expiredB, stock.sell(expiredB))))
                .isInstanceOfSatisfying(FenceRefusedException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.BRANCH_ALREADY_CANCELLED));
        assertThat(sweeper.sweeps()).isEqualTo(3);
        assertThat(sweeper.failures()).isZero();

        // and on a Prometheus registry, as the participants export them
        io.prometheus.metrics.model.registry.PrometheusRegistry registry = new io.prometheus.metrics.model.registry.PrometheusRegistry();
        FenceSweeperMetrics.register(registry, sweeper);
        java.io.ByteArrayOutputStream scrape = new java.io.ByteArrayOutputStream();
        try {
            io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter.create().write(scrape, registry.scrape());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(scrape.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n"))
                .contains("tx_fence_sweeps_total 3.0", "tx_fence_expired_cancelled_total 2.0", "tx_fence_sweep_failures_total 0.0");
    }

    @Test
    void aBranchWhoseCancelFailsIsRetriedNextTimeWithoutHoldingUpTheOthers() {
        BranchId broken = new BranchId(tenantA, "tx-broken", "reserve-stock");
        BranchId fine = new BranchId(tenantB, "tx-fine", "reserve-stock");
        tryBranch(broken, T0.plus(Duration.ofMinutes(1)));
        tryBranch(fine, T0.plus(Duration.ofMinutes(1)));
        boolean[] failing = {true};
        FenceSweeper sweeper = new FenceSweeper(database, fence, clock, Duration.ofSeconds(1), RETENTION,
                id -> id.equals(broken) && failing[0]
                        ? h -> { throw new IllegalStateException("inventory service is read-only"); }
                        : stock.release(id));

        clock.advance(Duration.ofMinutes(2));
        sweeper.sweep();
        assertThat(sweeper.failures()).isEqualTo(1);
        assertThat(state(broken)).contains(FenceState.TRIED); // rolled back with its work
        assertThat(state(fine)).contains(FenceState.CANCELLED);

        failing[0] = false;
        sweeper.sweep();
        assertThat(state(broken)).contains(FenceState.CANCELLED);
        assertThat(sweeper.expiredCancelled()).isEqualTo(2);
        assertThat(stock.stock(tenantA, "apple")).isEqualTo("10/0/0");
    }

    @Test
    void finishedRowsGoAfterTheirRetentionAndOpenOnesStay() {
        BranchId oldConfirmed = new BranchId(tenantA, "tx-old-1", "reserve-stock");
        BranchId oldCancelled = new BranchId(tenantB, "tx-old-2", "reserve-stock");
        BranchId oldEmptyRollback = new BranchId(tenantB, "tx-old-3", "reserve-stock");
        BranchId openSaga = new BranchId(tenantA, "saga-old", "reserve-stock");
        BranchId fresh = new BranchId(tenantA, "tx-fresh", "reserve-stock");
        tryBranch(oldConfirmed, null);
        database.tenants().inTenant(tenantA, h -> fence.confirm(h, oldConfirmed, stock.sell(oldConfirmed)));
        tryBranch(oldCancelled, null);
        database.tenants().inTenant(tenantB, h -> fence.cancel(h, oldCancelled, stock.release(oldCancelled)));
        database.tenants().inTenant(tenantB, h -> fence.cancel(h, oldEmptyRollback, BranchWork.NOTHING));
        tryBranch(openSaga, null);

        clock.advance(Duration.ofDays(6));
        tryBranch(fresh, null);
        database.tenants().inTenant(tenantA, h -> fence.confirm(h, fresh, stock.sell(fresh)));

        clock.advance(Duration.ofDays(1).plusMinutes(1)); // the old ones are 7 days and a minute old
        FenceSweeper sweeper = sweeper(Duration.ofSeconds(1));
        sweeper.sweep();

        assertThat(sweeper.deleted()).isEqualTo(3);
        assertThat(state(oldConfirmed)).isEmpty();
        assertThat(state(oldCancelled)).isEmpty();
        assertThat(state(oldEmptyRollback)).isEmpty();
        assertThat(state(fresh)).contains(FenceState.CONFIRMED);
        assertThat(state(openSaga)).contains(FenceState.TRIED); // a branch still open is never forgotten
    }

    @Test
    void startedAsAManagedObjectItSweepsOnItsOwnThreadUntilStopped() throws Exception {
        BranchId expired = new BranchId(tenantA, "tx-scheduled", "reserve-stock");
        tryBranch(expired, T0.plus(Duration.ofMinutes(1)));
        clock.advance(Duration.ofMinutes(2));

        FenceSweeper sweeper = sweeper(Duration.ofMillis(20));
        sweeper.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (sweeper.expiredCancelled() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10); // polling for a result, not waiting for a race
            }
            assertThat(sweeper.expiredCancelled()).isEqualTo(1);
        } finally {
            sweeper.stop();
        }
        // its one thread, a daemon (it never keeps the JVM up), ends once stopped
        List<Thread> threads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("fence-sweeper")).toList();
        for (Thread thread : threads) {
            assertThat(thread.isDaemon()).isTrue();
            thread.join(10_000);
            assertThat(thread.isAlive()).isFalse();
        }
        assertThat(stock.stock(tenantA, "apple")).isEqualTo("10/0/0");
        assertThat(sweeper.failures()).isZero();
    }
}
