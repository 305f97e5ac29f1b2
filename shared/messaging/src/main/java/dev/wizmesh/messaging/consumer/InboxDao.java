package dev.wizmesh.messaging.consumer;

import java.time.Instant;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The inbox's retention statements; only in the retention sweep's transaction (see V2__processed_messages_retention.sql). */
public interface InboxDao {

    /** Turns on the retention policies for this transaction only. */
    @SqlQuery("SELECT set_config('app.inbox_retention', 'on', true)")
    String enableRetention();

    /** Deletes up to {@code limit} rows processed before {@code cutoff} (index processed_messages_age); returns how many. */
    @SqlUpdate("""
            DELETE FROM processed_messages WHERE (tenant_id, consumer, message_id) IN (
                SELECT tenant_id, consumer, message_id FROM processed_messages WHERE processed_at < :cutoff LIMIT :limit)""")
    int deleteProcessedBefore(@Bind("cutoff") Instant cutoff, @Bind("limit") int limit);
}
