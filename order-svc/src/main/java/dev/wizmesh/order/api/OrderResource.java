package dev.wizmesh.order.api;

import dev.wizmesh.order.core.Order;
import dev.wizmesh.order.core.OrderBook;
import dev.wizmesh.order.core.OrderPlacement;
import dev.wizmesh.platform.context.CallerChecks.Member;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.idempotency.IdempotencyKeys;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.platform.paging.Page;
import dev.wizmesh.platform.paging.PageLimit;
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

    public OrderResource(OrderPlacement placement, OrderBook book) {
        this.placement = placement;
        this.book = book;
    }

    @POST
    @Member
    public Response place(@HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey, @Valid @NotNull CreateOrderRequest request) {
        OrderPlacement.Placed placed = placement.place(request.toOrderRequest(), IdempotencyKeys.require(idempotencyKey));
        Response.ResponseBuilder response = Response.created(URI.create("/api/v1/orders/" + placed.order().id()))
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
