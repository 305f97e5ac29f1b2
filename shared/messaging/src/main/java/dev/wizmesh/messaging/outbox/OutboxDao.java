package dev.wizmesh.messaging.outbox;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The outbox table. {@link #insert} runs in a tenant's transaction; the rest only in the relay's (see V1__outbox.sql). */
@RegisterConstructorMapper(OutboxRow.class)
public interface OutboxDao {

    @SqlUpdate("""
            INSERT INTO outbox (id, tenant_id, aggregate_id, type, payload, headers, created_at, next_attempt_at)
            VALUES (:id, :tenantId, :aggregateId, :type, CAST(:payload AS jsonb), CAST(:headers AS jsonb), :now, :now)""")
    void insert(@Bind("id") UUID id, @Bind("tenantId") UUID tenantId, @Bind("aggregateId") String aggregateId,
                @Bind("type") String type, @Bind("payload") String payload, @Bind("headers") String headers,
                @Bind("now") Instant now);

    /** Turns on the relay's row-level-security policies for this transaction only. */
    @SqlQuery("SELECT set_config('app.outbox_relay', 'on', true)")
    String enableRelay();

    /**
     * Claims up to {@code limit} due rows, each the OLDEST unsent row of its aggregate (the aggregate's
     * "head"): a later row of an aggregate is never claimed while an earlier one is unsent, which is what keeps
     * each aggregate's events in order, across retries and across relays. {@code FOR UPDATE SKIP LOCKED}: a row
     * another relay holds is skipped, not waited for, and stays locked (so unsent, and the head) until that relay
     * commits; the lock is re-checked on the latest row version, so a row another relay marked sent meanwhile is
     * never claimed again.
     */
    @SqlQuery("""
            WITH heads AS (
                SELECT DISTINCT ON (tenant_id, aggregate_id) id
                  FROM outbox
                 WHERE sent_at IS NULL
                 ORDER BY tenant_id, aggregate_id, seq)
            SELECT o.id, o.seq, o.tenant_id, o.aggregate_id, o.type, o.payload::text AS payload, o.headers::text AS headers,
                   o.attempts
              FROM outbox o JOIN heads h ON h.id = o.id
             WHERE o.sent_at IS NULL AND o.next_attempt_at <= :now
             ORDER BY o.seq
             LIMIT :limit
               FOR UPDATE OF o SKIP LOCKED""")
    List<OutboxRow> claimDue(@Bind("now") Instant now, @Bind("limit") int limit);

    @SqlUpdate("UPDATE outbox SET sent_at = :now, last_error = NULL WHERE id = :id AND sent_at IS NULL")
    int markSent(@Bind("id") UUID id, @Bind("now") Instant now);

    @SqlUpdate("""
            UPDATE outbox SET attempts = attempts + 1, next_attempt_at = :nextAttemptAt, last_error = :error
             WHERE id = :id AND sent_at IS NULL""")
    int markFailed(@Bind("id") UUID id, @Bind("nextAttemptAt") Instant nextAttemptAt, @Bind("error") String error);

    @SqlUpdate("""
            DELETE FROM outbox WHERE id IN (
                SELECT id FROM outbox WHERE sent_at IS NOT NULL AND sent_at < :cutoff LIMIT :limit)""")
    int deleteSentBefore(@Bind("cutoff") Instant cutoff, @Bind("limit") int limit);

    @SqlQuery("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
    long countUnsent();
}
