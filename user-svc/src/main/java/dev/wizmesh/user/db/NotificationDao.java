package dev.wizmesh.user.db;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The notification feed of the transaction's tenant (row-level security scopes every statement). */
@RegisterConstructorMapper(NotificationRow.class)
public interface NotificationDao {
    String COLUMNS = "id, user_id, event_id, type, order_id, status, cancel_reason, total_cents, currency, message, "
            + "occurred_at, created_at";

    /** 0 when the event already has its notification. */
    @SqlUpdate("INSERT INTO notifications (id, tenant_id, user_id, event_id, type, order_id, status, cancel_reason, total_cents, "
            + "currency, message, occurred_at) VALUES (:id, :tenantId, :userId, :eventId, :type, :orderId, :status, :cancelReason, "
            + ":totalCents, :currency, :message, :occurredAt) ON CONFLICT (tenant_id, event_id) DO NOTHING")
    int insert(@Bind("tenantId") UUID tenantId, @BindMethods NotificationRow row);

    /** One page of a user's feed, newest first, before the cursor position (or from the newest). */
    @SqlQuery("SELECT " + COLUMNS + " FROM notifications WHERE user_id = :userId "
            + "AND (CAST(:beforeAt AS timestamptz) IS NULL OR (created_at, id) < (:beforeAt, :beforeId)) "
            + "ORDER BY created_at DESC, id DESC LIMIT :limit")
    List<NotificationRow> page(@Bind("userId") UUID userId, @Bind("beforeAt") Instant beforeAt, @Bind("beforeId") UUID beforeId,
                               @Bind("limit") int limit);
}
