package dev.wizmesh.persistence.tenancy;

import dev.wizmesh.platform.context.RequestContext;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * Transactions on behalf of one tenant. Each one begins with
 * {@code set_config('app.tenant_id', <tenant>, true)}: local to the transaction, so the setting
 * ends with it and a pooled connection never carries one tenant's id into another's work. The
 * row-level-security policies compare every row's {@code tenant_id} with it, for reads
 * ({@code USING}) and writes ({@code WITH CHECK}).
 *
 * <pre>{@code
 * Product p = database.tenants().inCurrentTenant(h -> h.attach(ProductDao.class).find(id))
 *         .orElseThrow(...);
 * }</pre>
 */
public final class TenantTransactions {
    private final Jdbi jdbi;

    public TenantTransactions(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Runs {@code work} in one transaction scoped to {@code tenantId} (a UUID). */
    public <R, X extends Exception> R inTenant(UUID tenantId, HandleCallback<R, X> work) throws X {
        String tenant = tenantId.toString();
        return jdbi.inTransaction(handle -> {
            TenantGuard.markTenant(handle, tenant);
            handle.createQuery("SELECT set_config('app.tenant_id', :tenant, true)")
                    .bind("tenant", tenant)
                    .mapTo(String.class)
                    .one();
            return work.withHandle(handle);
        });
    }

    /** Runs {@code work} for the tenant of the request being served (set by the gateway). */
    public <R, X extends Exception> R inCurrentTenant(HandleCallback<R, X> work) throws X {
        return inTenant(currentTenant(), work);
    }

    /** The calling request's tenant as a UUID; a missing one is a 401, a malformed one a 400. */
    public static UUID currentTenant() {
        String tenant = RequestContext.requireTenantId();
        try {
            return UUID.fromString(tenant);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, Map.of("reason", "X-Tenant-ID is not a UUID"));
        }
    }
}
