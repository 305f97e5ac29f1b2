package dev.wizmesh.messaging.retention;

import dev.wizmesh.messaging.consumer.InboxDao;
import dev.wizmesh.messaging.outbox.OutboxDao;
import dev.wizmesh.persistence.Database;
import java.time.Instant;
import java.util.Objects;
import java.util.function.ToIntFunction;
import org.jdbi.v3.core.Handle;

/**
 * Deletes old messaging bookkeeping across every tenant, in batches of {@value #BATCH} rows, one short database
 * transaction per batch (a sweep of millions of rows never holds locks for long, and stops early without losing
 * what it did):
 * <ul>
 *   <li>{@link #deleteSentOutboxRows}: outbox rows the broker confirmed ({@code sent_at} set) before the cutoff;
 *       unsent rows are never touched, however old: they are events still to be published;</li>
 *   <li>{@link #deleteProcessedMessages}: inbox rows ({@code processed_messages}) processed before the cutoff.
 *       A message redelivered after its row is gone would be handled again, so the retention must be longer than
 *       any redelivery: the outbox relay republishes within seconds to minutes, a dead letter is replayed
 *       (it was never processed, so it has no row).</li>
 * </ul>
 * Row-level security stays on: the rows are reached through {@link Database#unscoped()} transactions that turn on
 * the table's own policy for that transaction only ({@code app.outbox_relay} for the outbox, the relay's delete
 * policy; {@code app.inbox_retention} for the inbox), never with the owner's or a superuser's connection.
 */
public final class MessageRetention {
    static final int BATCH = 1_000;

    private final Database database;

    public MessageRetention(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** Sent outbox rows whose {@code sent_at} is before {@code cutoff}; returns how many went. */
    public long deleteSentOutboxRows(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        return inBatches(h -> {
            OutboxDao dao = h.attach(OutboxDao.class);
            dao.enableRelay();
            return dao.deleteSentBefore(cutoff, BATCH);
        });
    }

    /** Inbox rows whose {@code processed_at} is before {@code cutoff}; returns how many went. */
    public long deleteProcessedMessages(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        return inBatches(h -> {
            InboxDao dao = h.attach(InboxDao.class);
            dao.enableRetention();
            return dao.deleteProcessedBefore(cutoff, BATCH);
        });
    }

    private long inBatches(ToIntFunction<Handle> batch) {
        long total = 0;
        int deleted;
        do {
            deleted = database.unscoped().inTransaction(batch::applyAsInt);
            total += deleted;
        } while (deleted == BATCH && !Thread.currentThread().isInterrupted());
        return total;
    }
}
