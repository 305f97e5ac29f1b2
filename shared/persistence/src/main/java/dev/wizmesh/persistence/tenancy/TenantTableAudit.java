package dev.wizmesh.persistence.tenancy;

import dev.wizmesh.persistence.UnscopedTransactions;
import java.util.List;

/**
 * The start-up check that no tenant-owned table was left unprotected: every table in the schema
 * with a {@code tenant_id} column must have row-level security enabled and forced (so it binds
 * the owner too) and at least one policy. A migration that forgets any of it stops the service
 * from starting, with the table named, instead of quietly serving every tenant's rows.
 */
public final class TenantTableAudit {
    private final UnscopedTransactions unscoped;

    public TenantTableAudit(UnscopedTransactions unscoped) {
        this.unscoped = unscoped;
    }

    /** Tenant-owned tables that are not fully protected, with what each lacks. */
    public List<String> unprotectedTables() {
        return unscoped.inTransaction(h -> h.createQuery("""
                        SELECT c.relname || ': ' || concat_ws(', ',
                                 CASE WHEN NOT c.relrowsecurity THEN 'RLS not enabled' END,
                                 CASE WHEN NOT c.relforcerowsecurity THEN 'RLS not forced' END,
                                 CASE WHEN NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid)
                                      THEN 'no policy' END)
                        FROM pg_class c
                        JOIN pg_namespace n ON n.oid = c.relnamespace
                        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
                        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
                          AND (NOT c.relrowsecurity OR NOT c.relforcerowsecurity
                               OR NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid))
                        ORDER BY c.relname
                        """)
                .mapTo(String.class)
                .list());
    }

    /** Fails start-up when a tenant-owned table is unprotected. */
    public void verify() {
        List<String> unprotected = unprotectedTables();
        if (!unprotected.isEmpty()) {
            throw new IllegalStateException("Tenant-owned tables without row-level security: " + unprotected
                    + ". Every table with a tenant_id column needs ENABLE and FORCE ROW LEVEL SECURITY and a "
                    + "policy on app_current_tenant() (see docs/services.md, Tenancy).");
        }
    }
}
