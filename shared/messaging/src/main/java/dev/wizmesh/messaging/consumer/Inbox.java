package dev.wizmesh.messaging.consumer;

import java.time.Clock;
import java.util.Objects;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The consumer's record of processed messages (table {@code processed_messages}, migration
 * {@code db/modules/inbox}). {@link #firstDelivery} inserts the message's id in the handler's transaction; a
 * second delivery of the same id finds it and is a no-op. Two deliveries at once: the second insert waits for the
 * first transaction, then finds the row (or, if the first rolled back, takes its place).
 */
public final class Inbox {
    private final Clock clock;

    public Inbox(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** True when this is the first time {@code consumer} sees {@code messageId} (and records it); false for a repeat. */
    public boolean firstDelivery(Handle h, String consumer, UUID tenantId, UUID messageId) {
        return h.createUpdate("""
                        INSERT INTO processed_messages (tenant_id, consumer, message_id, processed_at)
                        VALUES (:tenant, :consumer, :id, :now)
                        ON CONFLICT DO NOTHING""")
                .bind("tenant", tenantId)
                .bind("consumer", consumer)
                .bind("id", messageId)
                .bind("now", clock.instant())
                .execute() == 1;
    }

    /** Whether {@code consumer} has processed {@code messageId} (in the handle's tenant). */
    public boolean processed(Handle h, String consumer, UUID messageId) {
        return h.createQuery("SELECT count(*) FROM processed_messages WHERE consumer = :consumer AND message_id = :id")
                .bind("consumer", consumer)
                .bind("id", messageId)
                .mapTo(Long.class)
                .one() > 0;
    }
}
