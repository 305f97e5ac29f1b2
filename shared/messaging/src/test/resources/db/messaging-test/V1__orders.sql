-- A service's business tables for the messaging tests: orders (what the outbox's events announce) and the
-- effects a consumer's handler writes. Tenant-owned, with the same row-level security as a service's.
CREATE TABLE test_orders (
    tenant_id  uuid NOT NULL,
    id         text NOT NULL,
    status     text NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
ALTER TABLE test_orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE test_orders FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON test_orders
    USING (tenant_id = app_current_tenant())
    WITH CHECK (tenant_id = app_current_tenant());

-- one row per handler run that committed: how many times an event's effect happened
CREATE TABLE test_effects (
    tenant_id  uuid NOT NULL,
    queue      text NOT NULL,
    event_id   uuid NOT NULL,
    n          int  NOT NULL DEFAULT 1
);
ALTER TABLE test_effects ENABLE ROW LEVEL SECURITY;
ALTER TABLE test_effects FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON test_effects
    USING (tenant_id = app_current_tenant())
    WITH CHECK (tenant_id = app_current_tenant());
