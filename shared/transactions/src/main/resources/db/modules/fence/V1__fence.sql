-- The participant's transaction fence (shared/transactions, package ...transactions.fence):
-- one row per branch of a distributed transaction this service took part in, written in the
-- SAME local transaction as the branch's business work. See docs/transaction-fence.md.
--
-- States (transitions enforced by Fence, row-locked with SELECT ... FOR UPDATE):
--   TRIED      the Try (or saga action) committed together with its business effect
--   CONFIRMED  Confirm ran after TRIED: final
--   CANCELLED  Cancel (or saga compensation) ran after TRIED, or arrived first (an "empty
--              rollback": nothing to undo, and the row now refuses a late Try): final
CREATE TABLE tx_fence (
    tenant_id   uuid        NOT NULL,
    xid         text        NOT NULL CHECK (length(xid) BETWEEN 1 AND 128),
    branch      text        NOT NULL CHECK (length(branch) BETWEEN 1 AND 64),
    state       text        NOT NULL CHECK (state IN ('TRIED', 'CONFIRMED', 'CANCELLED')),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    -- when an unconfirmed Try may be cancelled by the sweeper; NULL = never (saga actions)
    expires_at  timestamptz,
    PRIMARY KEY (tenant_id, xid, branch)
);

-- the sweeper's two scans: expired reservations, and finished rows past their retention
CREATE INDEX tx_fence_expiring ON tx_fence (expires_at) WHERE state = 'TRIED';
CREATE INDEX tx_fence_finished ON tx_fence (updated_at, tenant_id) WHERE state <> 'TRIED';

-- Tenant-owned like every other table: each tenant's transactions see and write only its rows.
ALTER TABLE tx_fence ENABLE ROW LEVEL SECURITY;
ALTER TABLE tx_fence FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tx_fence
    USING (tenant_id = app_current_tenant())
    WITH CHECK (tenant_id = app_current_tenant());

-- The sweeper must find expired branches of EVERY tenant, but an unscoped transaction sees no
-- tenant's rows (app_current_tenant() is NULL there). This second policy lets one kind of
-- transaction read (never write) across tenants: one that has set
-- set_config('app.tx_recovery', 'on', true) — local to that transaction, so it ends with it and
-- never reaches a pooled connection's next user. Only FenceSweeper's recovery read sets it, and
-- it reads only (tenant_id, xid, branch); each branch it finds is then cancelled in a
-- transaction of its own tenant, where the tenant policy alone applies. Policies are OR-ed per
-- command, and this one is FOR SELECT only: INSERT, UPDATE and DELETE still need the tenant.
CREATE POLICY recovery_read ON tx_fence FOR SELECT
    USING (current_setting('app.tx_recovery', true) = 'on');
