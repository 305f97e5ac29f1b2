package dev.wizmesh.persistence;

import dev.wizmesh.persistence.tenancy.TenantGuard;
import dev.wizmesh.persistence.tenancy.TenantTableAudit;
import dev.wizmesh.persistence.tenancy.TenantTransactions;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * A service's database as the application role sees it. There is deliberately no getter for the
 * {@link Jdbi}: code reaches the data only through {@link #tenants()} (every tenant-owned query)
 * or {@link #unscoped()} (the rare query that is about no tenant), so a query that forgets its
 * tenant cannot be written. {@link TenantGuard} refuses any statement run any other way, and
 * row-level security in PostgreSQL refuses it again.
 */
public final class Database {
    private final Jdbi jdbi;
    private final TenantTransactions tenants;
    private final UnscopedTransactions unscoped;

    public Database(DataSource dataSource) {
        this.jdbi = Jdbi.create(dataSource)
                .installPlugin(new SqlObjectPlugin())
                .installPlugin(new PostgresPlugin());
        TenantGuard.install(jdbi);
        this.tenants = new TenantTransactions(jdbi);
        this.unscoped = new UnscopedTransactions(jdbi);
    }

    /** Transactions on behalf of one tenant: the only way to touch tenant-owned rows. */
    public TenantTransactions tenants() {
        return tenants;
    }

    /** Transactions on behalf of no tenant: RLS shows them no tenant-owned row at all. */
    public UnscopedTransactions unscoped() {
        return unscoped;
    }

    /** The start-up check that every tenant-owned table is protected by row-level security. */
    public TenantTableAudit audit() {
        return new TenantTableAudit(unscoped);
    }
}
