-- The consumer's inbox (shared/messaging, package dev.wizmesh.messaging.consumer): one row per
-- message a queue's handler has processed, inserted in the SAME local transaction as the
-- handler's effect. A redelivered message (the broker redelivers whatever was not acked; the
-- outbox relay may publish an event twice after a crash) finds its row and is acked without
-- running the handler again: the effect happens once. See docs/messaging.md.
CREATE TABLE processed_messages (
    tenant_id     uuid        NOT NULL,
    -- the queue whose handler processed it: two services (or two queues) each process an event once
    consumer      text        NOT NULL CHECK (length(consumer) BETWEEN 1 AND 255),
    message_id    uuid        NOT NULL,
    processed_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, consumer, message_id)
);
CREATE INDEX processed_messages_age ON processed_messages (processed_at);

ALTER TABLE processed_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE processed_messages FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON processed_messages
    USING (tenant_id = app_current_tenant())
    WITH CHECK (tenant_id = app_current_tenant());
