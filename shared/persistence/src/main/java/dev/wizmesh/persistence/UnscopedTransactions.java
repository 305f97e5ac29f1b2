package dev.wizmesh.persistence;

import dev.wizmesh.persistence.tenancy.TenantGuard;

import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * Transactions that belong to no tenant: health checks, the start-up audit, reading the catalog
 * of the database itself. The tenant setting is empty, so row-level security hides every
 * tenant-owned row: an unscoped query cannot leak data, it can only see none.
 */
public final class UnscopedTransactions {
    private final Jdbi jdbi;

    UnscopedTransactions(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public <R, X extends Exception> R inTransaction(HandleCallback<R, X> work) throws X {
        return jdbi.inTransaction(handle -> {
            TenantGuard.markUnscoped(handle);
            return work.withHandle(handle);
        });
    }

}
