package dev.wizmesh.transactions;

import static dev.wizmesh.transactions.ScriptedParticipants.Answer.BLOCK;
import static dev.wizmesh.transactions.ScriptedParticipants.Answer.FAIL;
import static dev.wizmesh.transactions.ScriptedParticipants.Answer.HANG;
import static dev.wizmesh.transactions.ScriptedParticipants.Answer.OK;
import static dev.wizmesh.transactions.ScriptedParticipants.Answer.REJECT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wizmesh.persistence.Database;
import dev.wizmesh.testing.PostgresExtension;
import dev.wizmesh.transactions.ScriptedParticipants.Order;
import dev.wizmesh.transactions.log.TransactionLog;
import dev.wizmesh.transactions.saga.Saga;
import dev.wizmesh.transactions.tcc.Tcc;
import io.dropwizard.jackson.Jackson;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The coordinator against a real PostgreSQL: sagas and TCC transactions through success, refusal,
 * transient failures, exhausted retries, deadlines, a crashed driver and two drivers at once.
 * Participants are scripted in-process (the wire is gRPC's business, tested elsewhere); the log,
 * the leases and the local outcome are the real thing.
 */
class CoordinatorIT {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    static final RetryPolicy FAST = new RetryPolicy(3, Duration.ofMillis(10), 2.0, Duration.ofMillis(50),
            Duration.ofSeconds(10), Duration.ofSeconds(2));

    static CoordinatorDatabase db;
    static Database database;
    final ObjectMapper mapper = Jackson.newObjectMapper();
    final List<TransactionCoordinator> coordinators = new ArrayList<>();
    ScriptedParticipants participants;
    UUID tenant;

    @BeforeAll
    static void open() throws Exception {
        db = CoordinatorDatabase.open(POSTGRES.database());
        database = db.database();
    }

    @AfterAll
    static void close() throws Exception {
        db.close();
    }

    @BeforeEach
    void freshTenant() {
        tenant = UUID.randomUUID();
        participants = new ScriptedParticipants();
    }

    @AfterEach
    void stopCoordinators() throws Exception {
        participants.release.countDown();
        for (TransactionCoordinator c : coordinators) {
            c.stop();
        }
    }

    TransactionDefinition<Order> saga(RetryPolicy policy, Duration timeout) {
        return Saga.define("place-order", Order.class)
                .step("create").participant("local")
                    .action(participants.call("create")).compensation(participants.call("create"))
                .step("reserve").participant("product-svc")
                    .action(participants.call("reserve")).compensation(participants.call("reserve"))
                    .retry(policy).compensationRetry(policy)
                .step("debit").participant("user-svc")
                    .action(participants.call("debit")).compensation(participants.call("debit"))
                    .retry(policy).compensationRetry(policy)
                .timeout(timeout)
                .onCompleted((h, order, none) -> CoordinatorDatabase.settle(h, order.orderId(), "CONFIRMED", null))
                .onCompensated((h, order, failure) -> CoordinatorDatabase.settle(h, order.orderId(), "CANCELLED", failure.code()))
                .build();
    }

    TransactionDefinition<Order> tcc(RetryPolicy secondPhase) {
        return Tcc.define("place-order-tcc", Order.class)
                .branch("stock").participant("product-svc")
                    .tryWith(participants.call("stock")).confirm(participants.call("stock")).cancel(participants.call("stock"))
                    .tryRetry(FAST).secondPhaseRetry(secondPhase)
                .branch("wallet").participant("user-svc")
                    .tryWith(participants.call("wallet")).confirm(participants.call("wallet")).cancel(participants.call("wallet"))
                    .tryRetry(FAST).secondPhaseRetry(secondPhase)
                .timeout(Duration.ofSeconds(30))
                .onCompleted((h, order, none) -> CoordinatorDatabase.settle(h, order.orderId(), "CONFIRMED", null))
                .onCompensated((h, order, failure) -> CoordinatorDatabase.settle(h, order.orderId(), "CANCELLED", failure.code()))
                .build();
    }

    TransactionCoordinator coordinator(String instance, Duration lease, PrometheusRegistry registry,
                                       TransactionDefinition<?>... definitions) {
        TransactionLog log = new TransactionLog(database, instance, lease);
        TransactionCoordinator coordinator = new TransactionCoordinator(log, mapper, new TransactionMetrics(registry, log::stuck), 8);
        for (TransactionDefinition<?> d : definitions) {
            coordinator.register(d);
        }
        coordinators.add(coordinator);
        return coordinator;
    }

    TransactionCoordinator coordinator(TransactionDefinition<?>... definitions) {
        return coordinator("test-" + UUID.randomUUID(), Duration.ofSeconds(10), new PrometheusRegistry(), definitions);
    }

    /** An order and its transaction, committed together; returns the transaction's id. */
    UUID begin(TransactionCoordinator coordinator, TransactionDefinition<Order> definition, Order order) {
        return database.tenants().inTenant(tenant, h -> {
            db.insertOrder(h, tenant, order.orderId());
            return coordinator.begin(h, tenant, definition, order.orderId().toString(), order);
        });
    }

    TransactionState run(TransactionCoordinator coordinator, UUID txId) throws Exception {
        return coordinator.drive(tenant, txId).get(30, TimeUnit.SECONDS);
    }

    static Order order() {
        return new Order(UUID.randomUUID(), 2);
    }

    @Test
    void aSagaRunsEveryActionInOrderAndSettlesTheOrderWithItsLastCommit() throws Exception {
        TransactionDefinition<Order> saga = saga(FAST, Duration.ofSeconds(30));
        TransactionCoordinator coordinator = coordinator(saga);
        Order order = order();
        UUID txId = begin(coordinator, saga, order);

        assertThat(run(coordinator, txId)).isEqualTo(TransactionState.COMPLETED);
        assertThat(participants.callsOf(Phase.ACTION)).containsExactly("create", "reserve", "debit");
        assertThat(participants.callsOf(Phase.COMPENSATION)).isEmpty();
        assertThat(db.orderStatus(tenant, order.orderId())).isEqualTo("CONFIRMED");
        TransactionView view = coordinator.view(tenant, txId).orElseThrow();
        assertThat(view.state()).isEqualTo("COMPLETED");
        assertThat(view.mode()).isEqualTo("SAGA");
        assertThat(view.steps()).extracting(s -> s.name() + ":" + s.phase() + ":" + s.state() + ":" + s.attempts())
                .containsExactly("create:ACTION:SUCCEEDED:1", "reserve:ACTION:SUCCEEDED:1", "debit:ACTION:SUCCEEDED:1");
        assertThat(view.steps()).allSatisfy(s -> assertThat(s.endedAt()).isAfterOrEqualTo(s.startedAt()));
    }

    @Test
    void aRefusedStepCompensatesEveryStartedStepInReverseAndCancelsTheOrder() throws Exception {
        participants.script("debit", Phase.ACTION, REJECT);
        TransactionDefinition<Order> saga = saga(FAST, Duration.ofSeconds(30));
        TransactionCoordinator coordinator = coordinator(saga);
        Order order = order();
        UUID txId = begin(coordinator, saga, order);

        assertThat(run(coordinator, txId)).isEqualTo(TransactionState.COMPENSATED);
        assertThat(participants.callsOf(Phase.ACTION)).containsExactly("create", "reserve", "debit");
        // the refused step too: its participant's fence turns that into an empty rollback, and
        // refuses the action for good should a delayed copy of it still arrive
        assertThat(participants.callsOf(Phase.COMPENSATION)).containsExactly("debit", "reserve", "create");
        assertThat(participants.calls).filteredOn(c -> c.startsWith("debit:ACTION")).hasSize(1); // a refusal is not retried
        assertThat(db.orderStatus(tenant, order.orderId())).isEqualTo("CANCELLED/OUT_OF_STOCK");
        TransactionView view = coordinator.view(tenant, txId).orElseThrow();
        assertThat(view.failureCode()).isEqualTo("OUT_OF_STOCK");
        assertThat(view.failureMessage()).contains("debit");
    }

    @Test
    void transientFailuresAreRetriedUnderOneIdempotencyKey() throws Exception {
        participants.script("reserve", Phase.ACTION, FAIL, FAIL, OK);
        TransactionDefinition<Order> saga = saga(FAST, Duration.ofSeconds(30));
        TransactionCoordinator coordinator = coordinator(saga);
        UUID txId = begin(coordinator, saga, order());

        assertThat(run(coordinator, txId)).isEqualTo(TransactionState.COMPLETED);
        assertThat(participants.calls).filteredOn(c -> c.startsWith("reserve:ACTION"))
                .containsExactly("reserve:ACTION#1", "reserve:ACTION#2", "reserve:ACTION#3");
        assertThat(participants.keys).filteredOn(k -> k.endsWith(":reserve:ACTION")).containsOnly(txId + ":reserve:ACTION");
        TransactionView.Step reserve = coordinator.view(tenant, txId).orElseThrow().steps().get(1);
        assertThat(reserve.attempts()).isEqualTo(3);
        assertThat(reserve.state()).isEqualTo("SUCCEEDED");
    }

    @Test
    void anActionOutOfRetriesIsCompensatedAsParticipantUnavailable() throws Exception {
        participants.script("reserve", Phase.ACTION, FAIL, FAIL, FAIL);
        TransactionDefinition<Order> saga = saga(FAST, Duration.ofSeconds(30));
        TransactionCoordinator coordinator = coordinator(saga);
        Order order = order();
        UUID txId = begin(coordinator, saga, order);

        assertThat(run(coordinator, txId)).isEqualTo(TransactionState.COMPENSATED);
        assertThat(participants.calls).filteredOn(c -> c.startsWith("reserve:ACTION")).hasSize(3);
        assertThat(participants.callsOf(Phase.COMPENSATION)).containsExactly("reserve", "create"); // debit never started
        assertThat(db.orderStatus(tenant, order.orderId())).isEqualTo("CANCELLED/PARTICIPANT_UNAVAILABLE");
        assertThat(coordinator.view(tenant, txId).orElseThrow().failureMessage()).contains("3 attempts").contains("unavailable");
    }

    @Test
    void aCompensationOutOfRetriesNeedsAnOperatorWhoseRetryThenFinishesIt() throws Exception {
        participants.script("debit", Phase.ACTION, REJECT).script("reserve", Phase.COMPENSATION, FAIL, FAIL, FAIL);
        TransactionDefinition<Order> saga = saga(FAST, Duration.ofSeconds(30));
        TransactionCoordinator coordinator = coordinator(saga);
        Order order = order();
        UUID txId = begin(coordinator, saga, order);

        long start = System.nanoTime();
        assertThat(run(coordinator, txId)).isEqualTo(TransactionState.FAILED_NEEDS_ATTENTION);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(participants.callsOf(Phase.COMPENSATION)).containsExactly("debit", "reserve", "reserve", "reserve");
        assertThat(db.orderStatus(tenant, order.orderId())).isEqualTo("PENDING"); // nothing pretends it was undone
        assertThat(coordinator.list(tenant, TransactionState.FAILED_NEEDS_ATTENTION, 10)).extracting(TransactionView::id)
                .containsExactly(txId);

        // the operator fixed product-svc and retries: the failed compensation gets fresh attempts
        assertThat(coordinator.retry(tenant, txId)).isTrue();
        await(() -> coordinator.view(tenant, txId).orElseThrow().state().equals("COMPENSATED"));
        assertThat(participants.callsOf(Phase.COMPENSATION)).containsExactly("debit", "reserve", "reserve", "reserve", "reserve", "create");
        assertThat(db.orderStatus(tenant, order.orderId())).isEqualTo("CANCELLED/OUT_OF_STOCK");
        assertThat(coordinator.retry(tenant, txId)).isFalse(); // only a stuck one can be retried
    }

    @Test
    void anOperatorMayResolveAStuckTransactionByHand() throws Exception {
        participants.script("debit", Phase.ACTION, REJECT).script("create", Phase.COMPENSATION, FAIL, FAIL, FAIL, FAIL, FAIL);
        TransactionDefinition<Order> saga = saga(FAST, Duration.ofSeconds(30));
        TransactionCoordinator coordinator = coordinator(saga);
        UUID txId = begin(coordinator, saga, order());
        assertThat(run(coordinator, txId)).isEqualTo(TransactionState.FAILED_NEEDS_ATTENTION);

        assertThat(coordinator.resolve(tenant, txId)).isTrue();
        assertThat(coordinator.view(tenant, txId).orElseThrow().state()).isEqualTo("RESOLVED");
        assertThat(coordinator.resolve(tenant, txId)).isFalse();
    }

    @Test
    void aSagaPastItsDeadlineCompensatesWithTimeout() throws Exception {
        participants.script("reserve", Phase.ACTION, HANG, HANG, HANG);
        RetryPolicy slow = FAST.withAttemptTimeout(Duration.ofMillis(300));
        TransactionDefinition<Order> saga = saga(slow, Duration.ofMillis(500));
        TransactionCoordinator coordinator = coordinator(saga);
        Order order = order();
        UUID txId = begin(coordinator, saga, order);

        assertThat(run(coordinator, txId)).isEqualTo(TransactionState.COMPENSATED);
        assertThat(db.orderStatus(tenant, order.orderId())).isEqualTo("CANCELLED/TIMEOUT");
        TransactionView.Step reserve = coordinator.view(tenant, txId).orElseThrow().steps().stream()
                .filter(s -> s.name().equals("reserve") && s.phase().equals("ACTION")).findFirst().orElseThrow();
        assertThat(reserve.error()).contains("no answer within");
    }

    @Test
    void tccTriesEveryBranchThenConfirmsThemAll() throws Exception {
        TransactionDefinition<Order> tcc = tcc(Tcc.SECOND_PHASE);
        TransactionCoordinator coordinator = coordinator(tcc);
        Order order = order();
        UUID txId = begin(coordinator, tcc, order);

        assertThat(run(coordinator, txId)).isEqualTo(TransactionState.COMPLETED);
        assertThat(participants.callsOf(Phase.TRY)).containsExactly("stock", "wallet");
        assertThat(participants.callsOf(Phase.CONFIRM)).containsExactly("stock", "wallet");
        assertThat(participants.callsOf(Phase.CANCEL)).isEmpty();
        assertThat(db.orderStatus(tenant, order.orderId())).isEqualTo("CONFIRMED");
        assertThat(coordinator.view(tenant, txId).orElseThrow().mode()).isEqualTo("TCC");
    }

    @Test
    void tccCancelsEveryBranchThatWasTriedWhenATryFails() throws Exception {
        participants.script("wallet", Phase.TRY, REJECT);
        TransactionDefinition<Order> tcc = tcc(Tcc.SECOND_PHASE);
        TransactionCoordinator coordinator = coordinator(tcc);
        Order order = order();
        UUID txId = begin(coordinator, tcc, order);

        assertThat(run(coordinator, txId)).isEqualTo(TransactionState.COMPENSATED);
        assertThat(participants.callsOf(Phase.CANCEL)).containsExactly("wallet", "stock");
        assertThat(participants.callsOf(Phase.CONFIRM)).isEmpty();
        assertThat(db.orderStatus(tenant, order.orderId())).isEqualTo("CANCELLED/OUT_OF_STOCK");
    }

    @Test
    void aConfirmThatCannotGetThroughYetIsParkedAndRecoveryFinishesIt() throws Exception {
        RetryPolicy twoPerRun = new RetryPolicy(2, Duration.ofMillis(10), 2.0, Duration.ofMillis(200),
                Duration.ofSeconds(10), Duration.ofSeconds(2));
        participants.script("wallet", Phase.CONFIRM, FAIL, FAIL, FAIL, OK);
        TransactionDefinition<Order> tcc = tcc(twoPerRun);
        TransactionCoordinator coordinator = coordinator(tcc);
        Order order = order();
        UUID txId = begin(coordinator, tcc, order);

        // the decision is made (every Try succeeded): Confirm is retried until it gets through
        assertThat(run(coordinator, txId)).isEqualTo(TransactionState.CONFIRMING);
        assertThat(db.orderStatus(tenant, order.orderId())).isEqualTo("PENDING");
        await(() -> {
            coordinator.recoverDue(10);
            return coordinator.view(tenant, txId).orElseThrow().state().equals("COMPLETED");
        });
        assertThat(participants.calls).filteredOn(c -> c.startsWith("wallet:CONFIRM"))
                .containsExactly("wallet:CONFIRM#1", "wallet:CONFIRM#2", "wallet:CONFIRM#3", "wallet:CONFIRM#4");
        assertThat(participants.callsOf(Phase.CONFIRM)).filteredOn("stock"::equals).hasSize(1); // confirmed once, never again
        assertThat(db.orderStatus(tenant, order.orderId())).isEqualTo("CONFIRMED");
    }

    @Test
    void anotherInstanceResumesATransactionWhoseDriverDiedOnceItsLeaseRunsOut() throws Exception {
        participants.script("debit", Phase.ACTION, BLOCK);
        TransactionDefinition<Order> saga = saga(FAST, Duration.ofSeconds(30));
        TransactionCoordinator dying = coordinator("order-svc-a", Duration.ofMillis(800), new PrometheusRegistry(), saga);
        Order order = order();
        UUID txId = begin(dying, saga, order);
        java.util.concurrent.CompletableFuture<TransactionState> paused = dying.drive(tenant, txId);
        assertThat(participants.blocked.await(10, TimeUnit.SECONDS)).isTrue();
        // the driver is stuck inside the debit call (a dead process, a long GC pause): its attempt is
        // logged RUNNING, and it renews its lease no more

        TransactionCoordinator survivor = coordinator("order-svc-b", Duration.ofSeconds(10), new PrometheusRegistry(), saga);
        assertThat(survivor.recoverDue(10)).as("nothing due while the dead driver's lease lasts").isZero();
        long start = System.nanoTime();
        await(() -> survivor.recoverDue(10) > 0);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        await(() -> survivor.view(tenant, txId).orElseThrow().state().equals("COMPLETED"));

        // the debit's outcome was unknown: it is sent again under the same key, for its participant to deduplicate
        assertThat(participants.calls).filteredOn(c -> c.startsWith("debit:ACTION")).containsExactly("debit:ACTION#1", "debit:ACTION#2");
        assertThat(participants.callsOf(Phase.ACTION)).filteredOn("reserve"::equals).hasSize(1); // done steps are not redone
        TransactionView view = survivor.view(tenant, txId).orElseThrow();
        assertThat(view.recoveries()).isEqualTo(1);
        assertThat(db.orderStatus(tenant, order.orderId())).isEqualTo("CONFIRMED");

        // the paused driver wakes up: its next write finds the lease gone, and it stops having changed nothing
        participants.release.countDown();
        assertThat(paused.get(10, TimeUnit.SECONDS)).isEqualTo(TransactionState.COMPLETED);
        assertThat(participants.calls).filteredOn(c -> c.startsWith("debit:")).hasSize(2);
        assertThat(survivor.view(tenant, txId).orElseThrow().steps()).filteredOn(st -> st.name().equals("debit"))
                .singleElement().satisfies(st -> assertThat(st.state()).isEqualTo("SUCCEEDED"));
    }

    @Test
    void aDriverStoppedGracefullyHandsItsTransactionOverAtOnce() throws Exception {
        participants.script("debit", Phase.ACTION, BLOCK);
        TransactionDefinition<Order> saga = saga(FAST, Duration.ofSeconds(30));
        TransactionCoordinator stopping = coordinator("order-svc-s", Duration.ofMinutes(5), new PrometheusRegistry(), saga);
        UUID txId = begin(stopping, saga, order());
        stopping.drive(tenant, txId);
        assertThat(participants.blocked.await(10, TimeUnit.SECONDS)).isTrue();
        stopping.stop(); // SIGTERM: the run is interrupted and gives its lease back

        TransactionCoordinator other = coordinator("order-svc-t", Duration.ofSeconds(10), new PrometheusRegistry(), saga);
        assertThat(other.recoverDue(10)).as("no five-minute wait for a lease its holder gave back").isEqualTo(1);
        await(() -> other.view(tenant, txId).orElseThrow().state().equals("COMPLETED"));
    }

    @Test
    void aRestartedInstanceTakesOverItsOwnTransactionsAtOnce() throws Exception {
        participants.script("debit", Phase.ACTION, BLOCK);
        TransactionDefinition<Order> saga = saga(FAST, Duration.ofSeconds(30));
        TransactionCoordinator before = coordinator("order-svc-1", Duration.ofMinutes(5), new PrometheusRegistry(), saga);
        UUID txId = begin(before, saga, order());
        before.drive(tenant, txId);
        assertThat(participants.blocked.await(10, TimeUnit.SECONDS)).isTrue();
        // "before" is now as good as killed: stuck in a call, holding a five-minute lease it will never give back

        TransactionCoordinator stranger = coordinator("order-svc-2", Duration.ofMinutes(5), new PrometheusRegistry(), saga);
        assertThat(stranger.recoverDue(10)).as("another instance waits for the lease").isZero();
        // the same instance after a restart (same name, new boot): its earlier process is dead, no waiting
        TransactionCoordinator after = coordinator("order-svc-1", Duration.ofMinutes(5), new PrometheusRegistry(), saga);
        assertThat(after.recoverDue(10)).isEqualTo(1);
        await(() -> after.view(tenant, txId).orElseThrow().state().equals("COMPLETED"));
        assertThat(participants.callsOf(Phase.ACTION)).containsExactly("create", "reserve", "debit", "debit");
    }

    @Test
    void twoCoordinatorsNeverDriveOneTransactionAtOnce() throws Exception {
        TransactionDefinition<Order> saga = saga(FAST, Duration.ofSeconds(30));
        TransactionCoordinator a = coordinator("order-svc-x", Duration.ofSeconds(10), new PrometheusRegistry(), saga);
        TransactionCoordinator b = coordinator("order-svc-y", Duration.ofSeconds(10), new PrometheusRegistry(), saga);
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(database.tenants().inTenant(tenant, h -> {
                Order order = order();
                db.insertOrder(h, tenant, order.orderId());
                return a.begin(h, tenant, saga, order.orderId().toString(), order);
            }));
        }
        // released to recovery, as if their starter had died at once; then both instances race for them
        for (UUID id : ids) {
            a.log().release(tenant, id, Duration.ZERO);
        }
        for (UUID id : ids) {
            a.drive(tenant, id);
            b.drive(tenant, id);
        }
        await(() -> ids.stream().allMatch(id -> a.view(tenant, id).orElseThrow().state().equals("COMPLETED")));
        assertThat(participants.maxConcurrentPerStep.get()).isEqualTo(1);
        assertThat(participants.callsOf(Phase.ACTION)).hasSize(30 * 3); // every action exactly once
    }

    @Test
    void recoverySeesEveryTenantWhileEachTenantSeesOnlyItsOwn() throws Exception {
        TransactionDefinition<Order> saga = saga(FAST, Duration.ofSeconds(30));
        TransactionCoordinator coordinator = coordinator(saga);
        UUID tenantA = tenant;
        UUID a = begin(coordinator, saga, order());
        coordinator.log().release(tenantA, a, Duration.ZERO);
        tenant = UUID.randomUUID();
        UUID b = begin(coordinator, saga, order());
        coordinator.log().release(tenant, b, Duration.ZERO);

        assertThat(coordinator.view(tenant, a)).isEmpty();
        assertThat(coordinator.view(tenantA, b)).isEmpty();
        assertThat(coordinator.recoverDue(100)).isGreaterThanOrEqualTo(2);
        await(() -> coordinator.view(tenantA, a).orElseThrow().state().equals("COMPLETED")
                && coordinator.view(tenant, b).orElseThrow().state().equals("COMPLETED"));
    }

    @Test
    void metricsCountStartsOutcomesAndRecoveries() throws Exception {
        participants.script("debit", Phase.ACTION, OK, REJECT);
        TransactionDefinition<Order> saga = saga(FAST, Duration.ofSeconds(30));
        PrometheusRegistry registry = new PrometheusRegistry();
        TransactionCoordinator coordinator = coordinator("metrics-" + UUID.randomUUID(), Duration.ofSeconds(10), registry, saga);
        run(coordinator, begin(coordinator, saga, order()));
        run(coordinator, begin(coordinator, saga, order()));

        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter.create().write(out, registry.scrape());
        List<String> lines = List.of(out.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n"));
        assertThat(lines).contains(
                "transactions_started_total{definition=\"place-order\",mode=\"SAGA\"} 2.0",
                "transactions_finished_total{definition=\"place-order\",mode=\"SAGA\",outcome=\"COMPLETED\"} 1.0",
                "transactions_finished_total{definition=\"place-order\",mode=\"SAGA\",outcome=\"COMPENSATED\"} 1.0",
                "transaction_duration_seconds_count{mode=\"SAGA\",outcome=\"COMPLETED\"} 1");
        assertThat(lines).anyMatch(l -> l.matches("transactions_stuck [0-9.]+")); // across tenants: other tests' count too
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within 20 s");
            }
            Thread.sleep(20);
        }
    }
}
