-- A participant's business tables for the fence's tests: stock that a Try reserves, a Confirm
-- consumes and a Cancel releases. Tenant-owned, with the same row-level security as a service's.
CREATE TABLE test_stock (
    tenant_id  uuid NOT NULL,
    product    text NOT NULL,
    available  int  NOT NULL CHECK (available >= 0),
    reserved   int  NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    sold       int  NOT NULL DEFAULT 0 CHECK (sold >= 0),
    PRIMARY KEY (tenant_id, product)
);
ALTER TABLE test_stock ENABLE ROW LEVEL SECURITY;
ALTER TABLE test_stock FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON test_stock
    USING (tenant_id = app_current_tenant())
    WITH CHECK (tenant_id = app_current_tenant());

-- what each branch's Try reserved, line by line
CREATE TABLE test_reservations (
    tenant_id  uuid NOT NULL,
    xid        text NOT NULL,
    branch     text NOT NULL,
    product    text NOT NULL,
    quantity   int  NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (tenant_id, xid, branch, product)
);
ALTER TABLE test_reservations ENABLE ROW LEVEL SECURITY;
ALTER TABLE test_reservations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON test_reservations
    USING (tenant_id = app_current_tenant())
    WITH CHECK (tenant_id = app_current_tenant());

-- one row per business step that committed: how the tests count "applied exactly once"
CREATE TABLE test_work_log (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id  uuid NOT NULL,
    xid        text NOT NULL,
    branch     text NOT NULL,
    step       text NOT NULL CHECK (step IN ('try', 'confirm', 'cancel'))
);
ALTER TABLE test_work_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE test_work_log FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON test_work_log
    USING (tenant_id = app_current_tenant())
    WITH CHECK (tenant_id = app_current_tenant());
