-- Each user's notification feed (GET /api/v1/users/me/notifications), written by user-svc's
-- consumer of order-svc's events (order.created, order.confirmed, order.cancelled; queue
-- user-svc.order-events). A row is inserted in the same local transaction as the consumer's
-- processed_messages row (module "inbox"), so a redelivered event adds no second notification;
-- event_id is unique as well, for any other path. No foreign key to users: an order's event may
-- outlive its buyer's account, and the feed is only ever read by the user it names.
CREATE TABLE notifications (
    id            uuid        PRIMARY KEY,
    tenant_id     uuid        NOT NULL,
    user_id       uuid        NOT NULL,
    -- the event it came from (the envelope's id) and its type
    event_id      uuid        NOT NULL,
    type          text        NOT NULL CHECK (length(type) BETWEEN 1 AND 200),
    order_id      uuid,
    status        text,
    cancel_reason text,
    total_cents   bigint,
    currency      char(3),
    message       text        NOT NULL CHECK (length(message) BETWEEN 1 AND 1000),
    -- when the change happened (the event's occurredAt), and when the feed got it
    occurred_at   timestamptz NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, event_id)
);

-- the feed: one user's notifications, newest first, by keyset
CREATE INDEX notifications_feed ON notifications (tenant_id, user_id, created_at DESC, id DESC);

ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE notifications FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notifications
    USING (tenant_id = app_current_tenant())
    WITH CHECK (tenant_id = app_current_tenant());
