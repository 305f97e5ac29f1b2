-- Runs before every migration (a Flyway callback from shared/persistence), as the owner.
-- The tenant of the current transaction, as row-level-security policies see it. The
-- application sets it with set_config('app.tenant_id', <uuid>, true) at the start of each
-- transaction (see TenantTransactions); "true" = local to the transaction, so a pooled
-- connection never carries it into the next one. Outside such a transaction the setting is
-- missing or '' and this returns NULL, which matches no row: no tenant, no data.
CREATE OR REPLACE FUNCTION app_current_tenant() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;
