package dev.wizmesh.transactions.log;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The coordinator's log. Every write that belongs to a run checks the lease
 * ({@code lease_owner = :owner}) and extends it: a driver that lost its lease (it paused, another
 * instance took over) changes nothing, finds 0 rows, and stops. Times are the database's.
 */
@RegisterConstructorMapper(TransactionRow.class)
@RegisterConstructorMapper(StepRow.class)
@RegisterConstructorMapper(DueTransaction.class)
public interface TransactionDao {
    String ACTIVE = "('RUNNING', 'CONFIRMING', 'COMPENSATING')";
    String COLUMNS = "id, tenant_id, mode, definition, business_key, state, data::text AS data, failure_code, "
            + "failure_message, created_at, updated_at, deadline_at, lease_owner, lease_until, next_run_at, recoveries, "
            + "(extract(epoch FROM deadline_at - now()) * 1000)::bigint AS remaining_millis";
    String STEP_COLUMNS = "transaction_id, step_index, phase, name, participant, state, attempts, started_at, ended_at, "
            + "error, (extract(epoch FROM now() - started_at) * 1000)::bigint AS elapsed_millis";
    /**
     * A lease this driver may take: nobody's, expired, its own, or held by an earlier process of
     * the same instance (owners are {@code <instance>#<boot id>}: a restarted instance knows its
     * former self is dead, and need not wait for its leases to run out).
     */
    String FREE = "(lease_owner IS NULL OR lease_owner = :owner OR lease_until < now() "
            + "OR split_part(lease_owner, '#', 1) = :instance)";
    String RENEW = "UPDATE tx_transactions SET lease_until = now() + make_interval(secs => :leaseMillis / 1000.0), "
            + "updated_at = now() WHERE id = :id AND lease_owner = :owner";

    /** A new transaction, leased to its starter so recovery leaves it alone while it runs. */
    @SqlUpdate("INSERT INTO tx_transactions (id, tenant_id, mode, definition, business_key, state, data, deadline_at, "
            + "lease_owner, lease_until) VALUES (:id, :tenantId, :mode, :definition, :businessKey, 'RUNNING', "
            + "CAST(:data AS jsonb), now() + make_interval(secs => :timeoutMillis / 1000.0), :owner, "
            + "now() + make_interval(secs => :leaseMillis / 1000.0))")
    void insert(@Bind("id") UUID id, @Bind("tenantId") UUID tenantId, @Bind("mode") String mode,
                @Bind("definition") String definition, @Bind("businessKey") String businessKey, @Bind("data") String data,
                @Bind("timeoutMillis") long timeoutMillis, @Bind("owner") String owner, @Bind("leaseMillis") long leaseMillis);

    @SqlQuery("SELECT " + COLUMNS + " FROM tx_transactions WHERE id = :id")
    Optional<TransactionRow> find(@Bind("id") UUID id);

    @SqlQuery("SELECT " + COLUMNS + " FROM tx_transactions WHERE business_key = :key ORDER BY created_at DESC LIMIT 1")
    Optional<TransactionRow> findByBusinessKey(@Bind("key") String businessKey);

    @SqlQuery("SELECT " + STEP_COLUMNS + " FROM tx_steps WHERE transaction_id = :id ORDER BY started_at, step_index, phase")
    List<StepRow> steps(@Bind("id") UUID id);

    /**
     * Takes the lease of an unfinished transaction that nobody holds (or whose holder stopped
     * renewing it, or is this very owner); 0 when another live driver has it or it is over. A
     * take-over from another owner counts as a recovery.
     */
    @SqlUpdate("UPDATE tx_transactions SET recoveries = recoveries + CASE WHEN lease_owner IS NOT NULL "
            + "AND lease_owner <> :owner THEN 1 ELSE 0 END, lease_owner = :owner, "
            + "lease_until = now() + make_interval(secs => :leaseMillis / 1000.0), updated_at = now() "
            + "WHERE id = :id AND state IN " + ACTIVE + " AND " + FREE)
    int claim(@Bind("id") UUID id, @Bind("owner") String owner, @Bind("instance") String instance,
              @Bind("leaseMillis") long leaseMillis);

    @SqlUpdate(RENEW)
    int renew(@Bind("id") UUID id, @Bind("owner") String owner, @Bind("leaseMillis") long leaseMillis);

    /** Records the start of an attempt (the first creates the entry); returns the attempt's number. */
    @SqlQuery("INSERT INTO tx_steps (transaction_id, tenant_id, step_index, phase, name, participant, state, attempts) "
            + "SELECT id, tenant_id, :index, :phase, :name, :participant, 'RUNNING', 1 FROM tx_transactions WHERE id = :id "
            + "ON CONFLICT (transaction_id, step_index, phase) DO UPDATE SET state = 'RUNNING', "
            + "attempts = tx_steps.attempts + 1, ended_at = NULL RETURNING attempts")
    int startAttempt(@Bind("id") UUID id, @Bind("index") int index, @Bind("phase") String phase,
                     @Bind("name") String name, @Bind("participant") String participant);

    @SqlUpdate("UPDATE tx_steps SET state = :state, error = :error, ended_at = now() "
            + "WHERE transaction_id = :id AND step_index = :index AND phase = :phase")
    int endAttempt(@Bind("id") UUID id, @Bind("index") int index, @Bind("phase") String phase,
                   @Bind("state") String state, @Bind("error") String error);

    @SqlUpdate("UPDATE tx_transactions SET state = :state, failure_code = coalesce(:code, failure_code), "
            + "failure_message = coalesce(:message, failure_message), updated_at = now() "
            + "WHERE id = :id AND lease_owner = :owner")
    int changeState(@Bind("id") UUID id, @Bind("owner") String owner, @Bind("state") String state,
                    @Bind("code") String failureCode, @Bind("message") String failureMessage);

    /** Ends this run: the lease is given up, and recovery looks again at {@code next_run_at}. */
    @SqlUpdate("UPDATE tx_transactions SET lease_owner = NULL, lease_until = NULL, updated_at = now(), "
            + "next_run_at = now() + make_interval(secs => :delayMillis / 1000.0) WHERE id = :id AND lease_owner = :owner")
    int release(@Bind("id") UUID id, @Bind("owner") String owner, @Bind("delayMillis") long delayMillis);

    @SqlQuery("SELECT " + COLUMNS + " FROM tx_transactions WHERE (CAST(:state AS text) IS NULL OR state = :state) "
            + "ORDER BY created_at DESC LIMIT :limit")
    List<TransactionRow> list(@Bind("state") String state, @Bind("limit") int limit);

    /** An operator's retry of a stuck transaction: its failed undo calls get a fresh set of attempts. */
    @SqlUpdate("UPDATE tx_transactions SET state = 'COMPENSATING', next_run_at = now(), lease_owner = NULL, "
            + "lease_until = NULL, updated_at = now() WHERE id = :id AND state = 'FAILED_NEEDS_ATTENTION'")
    int reopen(@Bind("id") UUID id);

    @SqlUpdate("UPDATE tx_steps SET attempts = 0, started_at = now() WHERE transaction_id = :id AND state <> 'SUCCEEDED' "
            + "AND phase IN ('COMPENSATION', 'CANCEL')")
    int resetUndoAttempts(@Bind("id") UUID id);

    @SqlUpdate("UPDATE tx_transactions SET state = 'RESOLVED', updated_at = now() WHERE id = :id "
            + "AND state = 'FAILED_NEEDS_ATTENTION'")
    int resolve(@Bind("id") UUID id);

    /**
     * Unfinished transactions of every tenant that are due and held by nobody live. Only in a
     * transaction that set {@code app.tx_recovery} (see {@link TransactionLog#dueForRecovery}):
     * the one read the row-level-security policy {@code recovery_scan} allows across tenants.
     */
    @SqlQuery("SELECT id, tenant_id FROM tx_transactions WHERE state IN " + ACTIVE + " AND next_run_at <= now() "
            + "AND " + FREE + " ORDER BY next_run_at LIMIT :limit")
    List<DueTransaction> due(@Bind("owner") String owner, @Bind("instance") String instance, @Bind("limit") int limit);

    /** For the stuck-transactions gauge: unfinished past their deadline by a minute, or needing an operator. */
    @SqlQuery("SELECT count(*) FROM tx_transactions WHERE state = 'FAILED_NEEDS_ATTENTION' "
            + "OR (state IN " + ACTIVE + " AND deadline_at < now() - interval '1 minute')")
    long stuck();
}
