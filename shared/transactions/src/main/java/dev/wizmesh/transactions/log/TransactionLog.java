package dev.wizmesh.transactions.log;

import dev.wizmesh.persistence.Database;
import dev.wizmesh.transactions.Phase;
import dev.wizmesh.transactions.StepState;
import dev.wizmesh.transactions.TransactionState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The log as one driver of one process uses it: every call is one local transaction in the
 * transaction's tenant, and every write of a run is fenced by this driver's lease.
 */
public final class TransactionLog {
    private final Database database;
    private final String instance;
    private final String owner;
    private final long leaseMillis;

    /**
     * @param instance a name unique among the running instances (host and port, say), the same
     *                 after a restart; the owner written in leases adds this process's boot id
     */
    public TransactionLog(Database database, String instance, Duration lease) {
        if (instance.isBlank() || instance.contains("#")) {
            throw new IllegalArgumentException("an instance name must be non-blank and without '#': " + instance);
        }
        this.database = database;
        this.instance = instance;
        this.owner = instance + "#" + UUID.randomUUID();
        this.leaseMillis = lease.toMillis();
    }

    public String owner() {
        return owner;
    }

    /** Records a new transaction in the caller's own local transaction (beside, say, the order it places). */
    public void insert(Handle handle, UUID id, UUID tenantId, String mode, String definition, String businessKey,
                       String data, Duration timeout) {
        handle.attach(TransactionDao.class).insert(id, tenantId, mode, definition, businessKey, data, timeout.toMillis(),
                owner, leaseMillis);
    }

    public boolean claim(UUID tenantId, UUID id) {
        return inTenant(tenantId, dao -> dao.claim(id, owner, instance, leaseMillis)) == 1;
    }

    /** {@link #claim} and, when this driver got the lease, the transaction as it is now, in one local transaction. */
    public Optional<Snapshot> claimAndLoad(UUID tenantId, UUID id) {
        return database.tenants().inTenant(tenantId, h -> h.attach(TransactionDao.class).claim(id, owner, instance, leaseMillis) == 1
                ? read(h, id) : Optional.<Snapshot>empty());
    }

    public Optional<Snapshot> load(UUID tenantId, UUID id) {
        return database.tenants().inTenant(tenantId, h -> read(h, id));
    }

    public Optional<Snapshot> loadByBusinessKey(UUID tenantId, String businessKey) {
        return database.tenants().inTenant(tenantId, h -> {
            TransactionDao dao = h.attach(TransactionDao.class);
            return dao.findByBusinessKey(businessKey).map(row -> new Snapshot(row, dao.steps(row.id())));
        });
    }

    /** The transaction and its steps, read in the caller's tenant transaction. */
    public static Optional<Snapshot> read(Handle handle, UUID id) {
        TransactionDao dao = handle.attach(TransactionDao.class);
        return dao.find(id).map(row -> new Snapshot(row, dao.steps(id)));
    }

    /** Commits "attempt n of this step's phase is starting" before the call; returns n. */
    public int startAttempt(UUID tenantId, UUID id, int index, Phase phase, String name, String participant) {
        return inTenant(tenantId, dao -> {
            fence(dao.renew(id, owner, leaseMillis), id);
            return dao.startAttempt(id, index, phase.name(), name, participant);
        });
    }

    public void endAttempt(UUID tenantId, UUID id, int index, Phase phase, StepState state, String error) {
        inTenant(tenantId, dao -> {
            fence(dao.renew(id, owner, leaseMillis), id);
            return dao.endAttempt(id, index, phase.name(), state.name(), error);
        });
    }

    public void changeState(UUID tenantId, UUID id, TransactionState state, String failureCode, String failureMessage) {
        inTenant(tenantId, dao -> fence(dao.changeState(id, owner, state.name(), failureCode, failureMessage), id));
    }

    /** The final state and the service's own change ({@code outcome}) in one local transaction. */
    public void finish(UUID tenantId, UUID id, TransactionState state, HandleWork outcome) throws Exception {
        database.tenants().inTenant(tenantId, h -> {
            TransactionDao dao = h.attach(TransactionDao.class);
            fence(dao.changeState(id, owner, state.name(), null, null), id);
            outcome.apply(h);
            dao.release(id, owner, 0);
            return null;
        });
    }

    /** Gives the lease up; recovery looks at the transaction again after {@code delay}. */
    public void release(UUID tenantId, UUID id, Duration delay) {
        inTenant(tenantId, dao -> dao.release(id, owner, delay.toMillis()));
    }

    /** The tenant's transactions with their steps, newest first; {@code state} null for all. */
    public List<Snapshot> list(UUID tenantId, String state, int limit) {
        return database.tenants().inTenant(tenantId, h -> {
            TransactionDao dao = h.attach(TransactionDao.class);
            return dao.list(state, limit).stream().map(row -> new Snapshot(row, dao.steps(row.id()))).toList();
        });
    }

    /** FAILED_NEEDS_ATTENTION → COMPENSATING with fresh attempts for the undo calls that failed. */
    public boolean reopen(UUID tenantId, UUID id) {
        return database.tenants().inTenant(tenantId, h -> {
            TransactionDao dao = h.attach(TransactionDao.class);
            if (dao.reopen(id) == 0) {
                return false;
            }
            dao.resetUndoAttempts(id);
            return true;
        });
    }

    public boolean resolve(UUID tenantId, UUID id) {
        return inTenant(tenantId, dao -> dao.resolve(id)) == 1;
    }

    /** The one cross-tenant read: due transactions' ids and tenants (see the recovery_scan policy). */
    public List<DueTransaction> dueForRecovery(int limit) {
        return database.unscoped().inTransaction(h -> {
            enterRecoveryScope(h);
            return h.attach(TransactionDao.class).due(owner, instance, limit);
        });
    }

    /** Transactions needing an operator or overdue by a minute, across tenants (a gauge). */
    public long stuck() {
        return database.unscoped().inTransaction(h -> {
            enterRecoveryScope(h);
            return h.attach(TransactionDao.class).stuck();
        });
    }

    private static void enterRecoveryScope(Handle h) {
        h.createQuery("SELECT set_config('app.tx_recovery', 'on', true)").mapTo(String.class).one();
    }

    private <R> R inTenant(UUID tenantId, DaoWork<R> work) {
        return database.tenants().inTenant(tenantId, h -> work.apply(h.attach(TransactionDao.class)));
    }

    private static int fence(int rows, UUID id) {
        if (rows == 0) {
            throw new LostLease(id);
        }
        return rows;
    }

    /** A transaction as the log has it now. */
    public record Snapshot(TransactionRow transaction, List<StepRow> steps) {
        public Optional<StepRow> step(int index, Phase phase) {
            return steps.stream().filter(s -> s.stepIndex() == index && s.phase().equals(phase.name())).findFirst();
        }
    }

    @FunctionalInterface
    public interface HandleWork {
        void apply(Handle handle) throws Exception;
    }

    @FunctionalInterface
    private interface DaoWork<R> {
        R apply(TransactionDao dao);
    }
}
