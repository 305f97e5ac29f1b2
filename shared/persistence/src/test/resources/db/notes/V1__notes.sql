-- A tenant-owned table the way every service declares one.
CREATE TABLE notes (
    id        uuid PRIMARY KEY,
    tenant_id uuid NOT NULL,
    body      text NOT NULL
);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE notes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notes
    USING (tenant_id = app_current_tenant())
    WITH CHECK (tenant_id = app_current_tenant());
