package dev.wizmesh.order.api;

import dev.wizmesh.persistence.tenancy.TenantTransactions;
import dev.wizmesh.platform.context.CallerChecks.Admin;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.platform.paging.PageLimit;
import dev.wizmesh.transactions.TransactionCoordinator;
import dev.wizmesh.transactions.TransactionState;
import dev.wizmesh.transactions.TransactionView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The operator's view of the tenant's distributed transactions (admins only):
 * {@code GET /api/v1/transactions?state=FAILED_NEEDS_ATTENTION} lists the ones stuck after a
 * compensation ran out of retries, each with its steps, attempts and last errors; {@code retry}
 * gives their failed compensations fresh attempts (after the participant was fixed);
 * {@code resolve} records that someone settled it by hand.
 */
@Path("/api/v1/transactions")
@Produces(MediaType.APPLICATION_JSON)
public class TransactionResource {
    private final TransactionCoordinator coordinator;

    public TransactionResource(TransactionCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    public record Listing(List<TransactionView> transactions) {
    }

    @GET
    @Admin
    public Listing list(@QueryParam("state") String state, @QueryParam("limit") String limit) {
        return new Listing(coordinator.list(TenantTransactions.currentTenant(), state(state), PageLimit.parse(limit)));
    }

    @GET
    @Path("/{id}")
    @Admin
    public TransactionView get(@PathParam("id") String id) {
        return find(id(id));
    }

    @POST
    @Path("/{id}/retry")
    @Admin
    public TransactionView retry(@PathParam("id") String id) {
        UUID txId = id(id);
        TransactionView now = find(txId);
        if (!coordinator.retry(TenantTransactions.currentTenant(), txId)) {
            throw notStuck(now);
        }
        return find(txId);
    }

    @POST
    @Path("/{id}/resolve")
    @Admin
    public TransactionView resolve(@PathParam("id") String id) {
        UUID txId = id(id);
        TransactionView now = find(txId);
        if (!coordinator.resolve(TenantTransactions.currentTenant(), txId)) {
            throw notStuck(now);
        }
        return find(txId);
    }

    private TransactionView find(UUID id) {
        return coordinator.view(TenantTransactions.currentTenant(), id)
                .orElseThrow(() -> new ApiException(ErrorCode.TRANSACTION_NOT_FOUND, Map.of("id", id)));
    }

    private static ApiException notStuck(TransactionView view) {
        return new ApiException(ErrorCode.TRANSACTION_NOT_STUCK, Map.of("id", view.id(), "state", view.state()));
    }

    private static TransactionState state(String state) {
        if (state == null || state.isBlank()) {
            return null;
        }
        try {
            return TransactionState.valueOf(state.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, Map.of("reason", "state must be one of "
                    + Arrays.toString(TransactionState.values())));
        }
    }

    /** An id that is not a UUID names no transaction: the same 404 as a missing one. */
    private static UUID id(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.TRANSACTION_NOT_FOUND, Map.of("id", id));
        }
    }
}
