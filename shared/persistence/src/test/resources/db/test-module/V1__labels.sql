-- a shared module's table, versioned apart from the service's own (db/notes, also at V1)
CREATE TABLE labels (
    id        uuid PRIMARY KEY,
    tenant_id uuid NOT NULL,
    label     text NOT NULL
);
ALTER TABLE labels ENABLE ROW LEVEL SECURITY;
ALTER TABLE labels FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON labels
    USING (tenant_id = app_current_tenant())
    WITH CHECK (tenant_id = app_current_tenant());
