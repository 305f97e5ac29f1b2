package dev.wizmesh.persistence.tenancy;

import java.sql.PreparedStatement;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;

/**
 * The Java half of tenant isolation: every statement run through the service's {@link Jdbi}
 * must come from a handle that a {@link TenantTransactions} (or the unscoped transactions) opened
 * and marked. A DAO attached any other way fails on its first statement, in development, before
 * it ever meets production data. Row-level security in PostgreSQL is the second half.
 */
public final class TenantGuard implements StatementCustomizer {
    static final String TENANT_ATTRIBUTE = "wizmesh.tenantId";
    private static final String UNSCOPED_ATTRIBUTE = "wizmesh.unscoped";

    private TenantGuard() {
    }

    public static void install(Jdbi jdbi) {
        jdbi.getConfig(SqlStatements.class).addCustomizer(new TenantGuard());
    }

    static void markTenant(Handle handle, String tenantId) {
        handle.define(TENANT_ATTRIBUTE, tenantId);
    }

    /** For {@code UnscopedTransactions}: a deliberate transaction on behalf of no tenant. */
    public static void markUnscoped(Handle handle) {
        handle.define(UNSCOPED_ATTRIBUTE, Boolean.TRUE);
    }

    @Override
    public void beforeExecution(PreparedStatement statement, StatementContext ctx) {
        if (ctx.getAttribute(TENANT_ATTRIBUTE) == null && ctx.getAttribute(UNSCOPED_ATTRIBUTE) == null) {
            throw new IllegalStateException("A statement ran outside a tenant transaction: open it with "
                    + "Database.tenants().inTenant(...) (or unscoped() for a query about no tenant). SQL: "
                    + ctx.getRenderedSql());
        }
    }
}
