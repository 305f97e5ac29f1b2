-- The messaging benchmark's business table: the change each event announces (one row per event, written in the
-- same transaction as the outbox row, or committed before the publish in the publish-after-commit reference) and
-- the consumer's effect (one row per handled event). Tenant-owned, row-level security as in a service.
CREATE TABLE bench_changes (
    tenant_id  uuid        NOT NULL,
    id         uuid        NOT NULL,
    amount     bigint      NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
ALTER TABLE bench_changes ENABLE ROW LEVEL SECURITY;
ALTER TABLE bench_changes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON bench_changes
    USING (tenant_id = app_current_tenant())
    WITH CHECK (tenant_id = app_current_tenant());

CREATE TABLE bench_effects (
    tenant_id  uuid NOT NULL,
    event_id   uuid NOT NULL,
    PRIMARY KEY (tenant_id, event_id)
);
ALTER TABLE bench_effects ENABLE ROW LEVEL SECURITY;
ALTER TABLE bench_effects FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON bench_effects
    USING (tenant_id = app_current_tenant())
    WITH CHECK (tenant_id = app_current_tenant());
