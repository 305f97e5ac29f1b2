package dev.wizmesh.user.core;

import dev.wizmesh.persistence.Database;
import dev.wizmesh.platform.context.RequestContext;
import dev.wizmesh.platform.paging.Page;
import dev.wizmesh.platform.paging.PageCursor;
import dev.wizmesh.user.db.NotificationDao;
import dev.wizmesh.user.db.NotificationRow;
import java.util.List;
import java.util.UUID;

/** The caller's own notification feed, newest first; another user's (or tenant's) is never in it. */
public final class Notifications {
    private final Database database;

    public Notifications(Database database) {
        this.database = database;
    }

    public Page<Notification> mine(int limit, String cursor) {
        UUID me = Ids.userId(RequestContext.requireUserId());
        PageCursor before = PageCursor.decode(cursor);
        return database.tenants().inCurrentTenant(h -> {
            List<NotificationRow> rows = h.attach(NotificationDao.class).page(me, before == null ? null : before.createdAt(),
                    before == null ? null : before.id(), limit + 1);
            return Page.of(rows, limit, Notification::of, row -> new PageCursor(row.createdAt(), row.id()));
        });
    }
}
