-- Retention for the inbox (shared/messaging's outbox-cleanup admin task, MessageRetention): rows
-- older than the retention are deleted, for EVERY tenant, but an unscoped transaction sees no
-- tenant's rows. As with the outbox's relay_* policies, a transaction that says it is the retention
-- sweep (set_config('app.inbox_retention', 'on', true): local to that transaction, so it never
-- reaches a pooled connection's next user) may read and delete rows of every tenant; it may not
-- insert or update any. Only MessageRetention sets it.
CREATE POLICY retention_read ON processed_messages FOR SELECT
    USING (current_setting('app.inbox_retention', true) = 'on');
CREATE POLICY retention_delete ON processed_messages FOR DELETE
    USING (current_setting('app.inbox_retention', true) = 'on');
