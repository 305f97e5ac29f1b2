-- what a coordinating service owns besides the log: its orders, settled by the local outcome
CREATE TABLE test_orders (
    id        uuid PRIMARY KEY,
    tenant_id uuid NOT NULL,
    status    text NOT NULL DEFAULT 'PENDING',
    reason    text
);
ALTER TABLE test_orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE test_orders FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON test_orders
    USING (tenant_id = app_current_tenant())
    WITH CHECK (tenant_id = app_current_tenant());
