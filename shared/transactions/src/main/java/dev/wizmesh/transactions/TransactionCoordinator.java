package dev.wizmesh.transactions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wizmesh.persistence.Database;
import dev.wizmesh.transactions.log.DueTransaction;
import dev.wizmesh.transactions.log.TransactionLog;
import dev.wizmesh.transactions.log.TransactionRow;
import io.dropwizard.lifecycle.Managed;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and drives distributed transactions (sagas and TCC) and resumes the ones a crash left
 * behind. The log lives in the coordinating service's database; a transaction is begun in the
 * caller's own local transaction (so "the order exists" and "its transaction exists" commit
 * together), then driven on this coordinator's threads, holding a lease in the log so that no
 * two instances drive it at once.
 *
 * <pre>{@code
 * UUID txId = database.tenants().inTenant(tenant, h -> {
 *     orders.insert(h, order);
 *     return coordinator.begin(h, tenant, placeOrder, order.id().toString(), order);
 * });
 * TransactionState state = coordinator.drive(tenant, txId).get(2, SECONDS);
 * }</pre>
 */
public final class TransactionCoordinator implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionCoordinator.class);

    private final TransactionLog log;
    private final ObjectMapper mapper;
    private final TransactionMetrics metrics;
    private final Map<String, TransactionDefinition<?>> definitions = new ConcurrentHashMap<>();
    /** Transactions a thread of this process is driving now: never two runs of one here. */
    private final Set<UUID> driving = ConcurrentHashMap.newKeySet();
    private final ExecutorService drivers;
    private final ExecutorService calls;
    private final StepAttempts attempts;

    public TransactionCoordinator(TransactionLog log, ObjectMapper mapper, TransactionMetrics metrics, int driverThreads) {
        this.log = log;
        this.mapper = mapper;
        this.metrics = metrics;
        this.drivers = Executors.newFixedThreadPool(driverThreads, named("tx-driver"));
        this.calls = Executors.newCachedThreadPool(named("tx-call"));
        this.attempts = new StepAttempts(log, calls);
    }

    public TransactionCoordinator register(TransactionDefinition<?> definition) {
        if (definitions.putIfAbsent(definition.name(), definition) != null) {
            throw new IllegalArgumentException("a transaction named " + definition.name() + " is already registered");
        }
        return this;
    }

    /**
     * Records a new transaction in the caller's tenant transaction; nothing is called until that
     * commits and {@link #drive} is called (or, if this process dies first, until recovery finds it).
     *
     * @param businessKey what the transaction is about (an order id), to find it by
     */
    public <D> UUID begin(Handle handle, UUID tenantId, TransactionDefinition<D> definition, String businessKey, D data) {
        if (definitions.get(definition.name()) != definition) {
            throw new IllegalStateException("register " + definition.name() + " with the coordinator before beginning one");
        }
        UUID id = UUID.randomUUID();
        log.insert(handle, id, tenantId, definition.mode().name(), definition.name(), businessKey, json(data), definition.timeout());
        metrics.started(definition);
        return id;
    }

    /**
     * Drives the transaction on a coordinator thread as far as it can go now. The future
     * completes with its state when the run lets go: final, or parked for recovery, or (when
     * another live driver holds it) whatever it is then.
     */
    public CompletableFuture<TransactionState> drive(UUID tenantId, UUID id) {
        CompletableFuture<TransactionState> done = new CompletableFuture<>();
        drivers.execute(() -> {
            try {
                done.complete(driveHere(tenantId, id, false));
            } catch (Throwable e) {
                LOG.warn("transaction {}: run failed ({}); recovery will resume it", id, e.toString());
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /** One recovery round: drives every due transaction this process may take; returns how many it started. */
    public int recoverDue(int limit) {
        int started = 0;
        for (DueTransaction due : log.dueForRecovery(limit)) {
            if (driving.contains(due.id())) {
                continue;
            }
            started++;
            drivers.execute(() -> {
                try {
                    driveHere(due.tenantId(), due.id(), true);
                } catch (Throwable e) {
                    LOG.warn("transaction {}: recovery run failed ({}); the next round retries", due.id(), e.toString());
                }
            });
        }
        return started;
    }

    private TransactionState driveHere(UUID tenantId, UUID id, boolean recovery) throws Exception {
        if (!driving.add(id)) {
            return state(tenantId, id); // this process already drives it
        }
        try {
            // the lease and the log in one local transaction: every commit here is one the order waits for
            Optional<TransactionLog.Snapshot> claimed = log.claimAndLoad(tenantId, id);
            if (claimed.isEmpty()) {
                Optional<TransactionLog.Snapshot> now = log.load(tenantId, id);
                if (now.isEmpty()) {
                    throw new IllegalArgumentException("no transaction " + id);
                }
                return TransactionState.valueOf(now.get().transaction().state()); // final, or another live driver holds it
            }
            TransactionRow row = claimed.get().transaction();
            TransactionDefinition<?> definition = definitions.get(row.definition());
            if (definition == null) {
                log.release(tenantId, id, java.time.Duration.ofMinutes(1));
                throw new IllegalStateException("transaction " + id + " is a " + row.definition() + ", which nobody registered");
            }
            if (recovery) {
                metrics.recovered(definition.mode());
                LOG.info("recovering transaction {} ({}, {}), {}", id, definition.name(), definition.mode(), row.state());
            }
            return new TransactionRun<>(log, attempts, definition, metrics, mapper, tenantId, id).run(claimed.get());
        } finally {
            driving.remove(id);
        }
    }

    /** The transaction and its log, for the API; empty when this tenant has none by that id. */
    public Optional<TransactionView> view(UUID tenantId, UUID id) {
        return log.load(tenantId, id).map(TransactionView::of);
    }

    /** The latest transaction about {@code businessKey} (an order id), for the API. */
    public Optional<TransactionView> viewByBusinessKey(UUID tenantId, String businessKey) {
        return log.loadByBusinessKey(tenantId, businessKey).map(TransactionView::of);
    }

    /** The tenant's transactions, newest first, optionally in one state (an operator's list of stuck ones). */
    public java.util.List<TransactionView> list(UUID tenantId, TransactionState state, int limit) {
        return log.list(tenantId, state == null ? null : state.name(), limit).stream().map(TransactionView::of).toList();
    }

    /**
     * An operator's retry of a FAILED_NEEDS_ATTENTION transaction (the participant is fixed):
     * its compensations that did not get through get a fresh set of attempts, now. False when it
     * is not in that state.
     */
    public boolean retry(UUID tenantId, UUID id) {
        if (!log.reopen(tenantId, id)) {
            return false;
        }
        drive(tenantId, id);
        return true;
    }

    /** An operator dealt with it by hand: FAILED_NEEDS_ATTENTION → RESOLVED. False when it is not in that state. */
    public boolean resolve(UUID tenantId, UUID id) {
        return log.resolve(tenantId, id);
    }

    private TransactionState state(UUID tenantId, UUID id) {
        return log.load(tenantId, id).map(s -> TransactionState.valueOf(s.transaction().state())).orElseThrow();
    }

    public TransactionLog log() {
        return log;
    }

    @Override
    public void start() {
        // runs are started by callers and by the RecoveryScanner
    }

    @Override
    public void stop() throws InterruptedException {
        // a run cut short here is resumed by recovery (this instance's next start, or another)
        drivers.shutdownNow();
        calls.shutdownNow();
        drivers.awaitTermination(5, TimeUnit.SECONDS);
    }

    private String json(Object data) {
        try {
            return mapper.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the transaction's data must serialise to JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
