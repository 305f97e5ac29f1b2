package dev.wizmesh.order.api;

import dev.wizmesh.order.core.Order;
import dev.wizmesh.order.core.OrderBook;
import dev.wizmesh.order.core.OrderPlacement;
import dev.wizmesh.order.core.OrderStatus;
import dev.wizmesh.persistence.tenancy.TenantTransactions;
import dev.wizmesh.platform.context.CallerChecks.Member;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.platform.idempotency.IdempotencyKeys;
import dev.wizmesh.platform.paging.Page;
import dev.wizmesh.platform.paging.PageLimit;
import dev.wizmesh.transactions.TransactionCoordinator;
import dev.wizmesh.transactions.TransactionView;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Map;
import java.util.UUID;

/** Orders: place (idempotent), read, list, cancel while PENDING; any user of the tenant ({@link Member}). */
@Path("/api/v1/orders")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OrderResource {

    private final OrderPlacement placement;
    private final OrderBook book;
    private final TransactionCoordinator transactions;

    public OrderResource(OrderPlacement placement, OrderBook book, TransactionCoordinator transactions) {
        this.placement = placement;
        this.book = book;
        this.transactions = transactions;
    }

    /**
     * 201 with the order once its transaction settled it (CONFIRMED, or CANCELLED with a
     * {@code cancelReason}); 202 with the order PENDING when it took longer than
     * {@code transactions.waitForOutcome}: poll the {@code Location}.
     */
    @POST
    @Member
    public Response place(@HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey, @Valid @NotNull CreateOrderRequest request) {
        OrderPlacement.Placed placed = placement.place(request.toOrderRequest(), IdempotencyKeys.require(idempotencyKey));
        URI location = URI.create("/api/v1/orders/" + placed.order().id());
        Response.ResponseBuilder response = (placed.order().status() == OrderStatus.PENDING
                ? Response.accepted().location(location) : Response.created(location))
                .entity(placed.order());
        if (placed.replayed()) {
            response.header(IdempotencyKeys.REPLAYED_HEADER, "true");
        }
        return response.build();
    }

    @GET
    @Member
    public Page<Order> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return book.list(PageLimit.parse(limit), cursor);
    }

    @GET
    @Path("/{id}")
    @Member
    public Order get(@PathParam("id") String id) {
        return book.find(orderId(id));
    }

    /** The order's saga or TCC log, step by step: what reserved the stock, took the money, or undid it. */
    @GET
    @Path("/{id}/transaction")
    @Member
    public TransactionView transaction(@PathParam("id") String id) {
        UUID orderId = orderId(id);
        book.find(orderId); // 404 for an order the caller may not see
        return transactions.viewByBusinessKey(TenantTransactions.currentTenant(), orderId.toString())
                .orElseThrow(() -> new ApiException(ErrorCode.TRANSACTION_NOT_FOUND, Map.of("id", orderId)));
    }

    @POST
    @Path("/{id}/cancel")
    @Member
    public Order cancel(@PathParam("id") String id) {
        return book.cancel(orderId(id));
    }

    /** An id that is not even a UUID names no order: the same 404 as a missing one. */
    private static UUID orderId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.ORDER_NOT_FOUND, Map.of("orderId", id));
        }
    }
}
