-- Runs after every migration (a Flyway callback from shared/persistence), as the owner.
-- The application role may read and write rows (row-level security still filters them) and
-- use sequences, but owns nothing, cannot change the schema, and cannot touch the history of
-- migrations.
GRANT USAGE ON SCHEMA public TO ${appRole};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${appRole};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${appRole};
GRANT EXECUTE ON FUNCTION app_current_tenant() TO ${appRole};
REVOKE ALL ON flyway_schema_history FROM ${appRole};
