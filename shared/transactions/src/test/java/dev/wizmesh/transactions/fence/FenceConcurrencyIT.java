package dev.wizmesh.transactions.fence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wizmesh.persistence.Database;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.testing.PostgresExtension;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The coordinator's retries all at once: 20 branches, each cancelled 10 times concurrently (200
 * Cancels) while a late Try of each races them, on 16 threads, each call in a transaction of its
 * own. Half the branches were tried before the storm (the Cancels must release their
 * reservation exactly once), half never were (an empty rollback, unless the late Try wins the
 * race, in which case one Cancel releases what it reserved). Whatever the interleaving, the only
 * failures allowed are the fence's own refusals of a late Try: no deadlock (40P01), no
 * duplicate key, no double release.
 */
class FenceConcurrencyIT {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    static final int BRANCHES = 20;
    static final int CANCEL_RETRIES = 10;
    static final int THREADS = 16;

    static FenceDatabase db;
    static Database database;
    static StockParticipant stock;
    static final Fence FENCE = new Fence(new MutableClock(Instant.parse("2030-01-01T00:00:00Z")));
    static final Instant EXPIRES = Instant.parse("2030-01-01T00:10:00Z");

    @BeforeAll
    static void open() throws Exception {
        db = FenceDatabase.open(POSTGRES.database(), THREADS + 2);
        database = db.database();
        stock = new StockParticipant(database);
    }

    @AfterAll
    static void close() throws Exception {
        db.close();
    }

    @Test
    void concurrentCancelsAndLateTriesReleaseEachReservationExactlyOnceWithoutDeadlock() throws Exception {
        UUID tenant = UUID.randomUUID();
        stock.addStock(tenant, "apple", 1_000);
        stock.addStock(tenant, "pear", 1_000);
        Map<String, Integer> lines = new LinkedHashMap<>(); // every branch takes both rows, in one order
        lines.put("apple", 1);
        lines.put("pear", 2);

        List<BranchId> tried = new ArrayList<>();
        List<BranchId> untried = new ArrayList<>();
        for (int i = 0; i < BRANCHES; i++) {
            BranchId id = new BranchId(tenant, "tx-" + i, "reserve-stock");
            if (i % 2 == 0) {
                tried.add(id);
                database.tenants().inTenant(tenant, h -> FENCE.tryBranch(h, id, EXPIRES, stock.reserve(id, lines)));
            } else {
                untried.add(id);
            }
        }
        assertThat(stock.stock(tenant, "apple")).isEqualTo((1_000 - tried.size()) + "/" + tried.size() + "/0");

        Map<BranchId, Queue<FenceOutcome>> cancels = new ConcurrentHashMap<>();
        Map<BranchId, Object> lateTries = new ConcurrentHashMap<>(); // an outcome or the refusal's code
        Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        List<Runnable> calls = new ArrayList<>();
        for (BranchId id : concat(tried, untried)) {
            cancels.put(id, new ConcurrentLinkedQueue<>());
            for (int r = 0; r < CANCEL_RETRIES; r++) {
                calls.add(() -> cancels.get(id).add(
                        database.tenants().inTenant(tenant, h -> FENCE.cancel(h, id, stock.release(id)))));
            }
            calls.add(() -> {
                try {
                    lateTries.put(id, database.tenants().inTenant(tenant,
                            h -> FENCE.tryBranch(h, id, EXPIRES, stock.reserve(id, lines))));
                } catch (FenceRefusedException e) {
                    lateTries.put(id, e.code());
                }
            });
        }
        Collections.shuffle(calls, new Random(42));

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(calls.size());
        for (Runnable call : calls) {
            pool.execute(() -> {
                try {
                    start.await();
                    call.run();
                } catch (Throwable e) {
                    unexpected.add(e);
                } finally {
                    done.countDown();
                }
            });
        }
        start.countDown(); // the first 16 calls leave together, the rest as threads free up
        assertThat(done.await(60, TimeUnit.SECONDS)).as("all %d calls finished", calls.size()).isTrue();
        pool.shutdown();

        assertThat(unexpected.stream().filter(FenceConcurrencyIT::isDeadlock)).as("deadlocks").isEmpty();
        assertThat(unexpected).as("failures other than the fence's refusals").isEmpty();

        for (BranchId id : tried) {
            // one Cancel released the reservation; the nine others found it done
            assertThat(cancels.get(id)).as(id.xid()).containsOnlyOnce(FenceOutcome.APPLIED)
                    .containsOnly(FenceOutcome.APPLIED, FenceOutcome.DUPLICATE).hasSize(CANCEL_RETRIES);
            // the late Try found the branch TRIED (before the Cancels) or CANCELLED (after): never a new reservation
            assertThat(lateTries.get(id)).as(id.xid()).isIn(FenceOutcome.DUPLICATE, ErrorCode.BRANCH_ALREADY_CANCELLED);
            assertThat(stock.steps(id, "try")).isEqualTo(1);
            assertThat(stock.steps(id, "cancel")).isEqualTo(1);
        }
        for (BranchId id : untried) {
            Object lateTry = lateTries.get(id);
            assertThat(lateTry).as(id.xid()).isIn(FenceOutcome.APPLIED, ErrorCode.BRANCH_ALREADY_CANCELLED);
            // the Try won the race: one Cancel releases it; the Cancel came first: an empty rollback, the Try refused
            FenceOutcome first = lateTry == FenceOutcome.APPLIED ? FenceOutcome.APPLIED : FenceOutcome.EMPTY_ROLLBACK;
            assertThat(cancels.get(id)).as(id.xid()).containsOnlyOnce(first)
                    .containsOnly(first, FenceOutcome.DUPLICATE).hasSize(CANCEL_RETRIES);
            int applied = first == FenceOutcome.APPLIED ? 1 : 0;
            assertThat(stock.steps(id, "try")).isEqualTo(applied);
            assertThat(stock.steps(id, "cancel")).isEqualTo(applied);
        }
        for (BranchId id : concat(tried, untried)) {
            Optional<FenceState> state = database.tenants().inTenant(tenant, h -> FENCE.state(h, id));
            assertThat(state).as(id.xid()).contains(FenceState.CANCELLED);
        }
        // every unit back where it was: nothing released twice, nothing left reserved
        assertThat(stock.stock(tenant, "apple")).isEqualTo("1000/0/0");
        assertThat(stock.stock(tenant, "pear")).isEqualTo("1000/0/0");
        assertThat(stock.reservations(tenant)).isZero();
    }

    private static boolean isDeadlock(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "40P01".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static List<BranchId> concat(List<BranchId> a, List<BranchId> b) {
        List<BranchId> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
