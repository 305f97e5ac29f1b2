-- The transactional outbox (shared/messaging, package dev.wizmesh.messaging.outbox): one row per
-- event a service wants to publish, written by Outbox.add in the SAME local transaction as the
-- business change it announces, so both commit or neither does. OutboxRelay publishes the rows
-- to the broker afterwards and marks them sent once the broker confirmed them. See docs/messaging.md.
CREATE TABLE outbox (
    -- the event's id (the envelope's "id", the AMQP message-id): what consumers deduplicate on
    id               uuid        PRIMARY KEY,
    -- insertion order: the relay publishes an aggregate's events in this order
    seq              bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    tenant_id        uuid        NOT NULL,
    aggregate_id     text        NOT NULL CHECK (length(aggregate_id) BETWEEN 1 AND 200),
    -- also the routing key on the wizmesh.events topic exchange, e.g. order.created
    type             text        NOT NULL CHECK (type ~ '^[a-z0-9_-]+(\.[a-z0-9_-]+)*$' AND length(type) <= 200),
    -- the whole envelope {"id","type","occurredAt","tenantId","traceparent","data"}, as published
    payload          jsonb       NOT NULL,
    -- AMQP headers to send with it (traceparent)
    headers          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at       timestamptz NOT NULL,
    -- failed publishes so far, when to try again (exponential back-off), and why the last failed
    attempts         int         NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    last_error       text,
    -- set only after the broker confirmed the message; sent rows go after a retention period
    sent_at          timestamptz
);

-- the relay's scan: the unsent rows of each aggregate, oldest first
CREATE INDEX outbox_unsent ON outbox (tenant_id, aggregate_id, seq) WHERE sent_at IS NULL;
-- the retention's scan
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;

-- Tenant-owned like every table: a tenant's transaction writes and reads only its own events.
ALTER TABLE outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE outbox FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outbox
    USING (tenant_id = app_current_tenant())
    WITH CHECK (tenant_id = app_current_tenant());

-- The relay publishes the events of EVERY tenant, but an unscoped transaction sees no tenant's
-- rows. As with shared/transactions' recovery_scan policy, a transaction that says it is the
-- relay (set_config('app.outbox_relay', 'on', true): local to that transaction, so it never
-- reaches a pooled connection's next user) may read rows, lock them (SELECT ... FOR UPDATE SKIP
-- LOCKED needs the UPDATE policy too), update them (sent_at, attempts, next_attempt_at,
-- last_error) and delete sent ones. It may NOT insert: an event is only ever written by its own
-- tenant's transaction, next to the business change it announces. Only OutboxRelay sets it.
CREATE POLICY relay_read ON outbox FOR SELECT
    USING (current_setting('app.outbox_relay', true) = 'on');
CREATE POLICY relay_update ON outbox FOR UPDATE
    USING (current_setting('app.outbox_relay', true) = 'on')
    WITH CHECK (current_setting('app.outbox_relay', true) = 'on');
CREATE POLICY relay_delete ON outbox FOR DELETE
    USING (current_setting('app.outbox_relay', true) = 'on');
