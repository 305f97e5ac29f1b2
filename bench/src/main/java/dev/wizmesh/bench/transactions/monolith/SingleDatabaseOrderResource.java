package dev.wizmesh.bench.transactions.monolith;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.wizmesh.platform.context.CallerChecks.Member;
import dev.wizmesh.platform.idempotency.IdempotencyKeys;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;

/** {@code POST /api/v1/orders} with order-svc's body and headers; the answer is always 201 (the order is settled). */
@Path("/api/v1/orders")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SingleDatabaseOrderResource {
    private final SingleDatabaseOrders orders;

    public SingleDatabaseOrderResource(SingleDatabaseOrders orders) {
        this.orders = orders;
    }

    /** order-svc's request; {@code mode} (saga or tcc there) means nothing to one local transaction. */
    @JsonIgnoreProperties({"mode"})
    public record PlaceOrderRequest(@NotEmpty @Size(max = 50) List<@Valid @NotNull Item> items) {
    }

    public record Item(@NotNull UUID productId, @NotNull @Min(1) @Max(1000) Integer quantity) {
    }

    @POST
    @Member
    public Response place(@HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey, @Valid @NotNull PlaceOrderRequest request) {
        SingleDatabaseOrders.PlacedOrder order = orders.place(
                request.items().stream().map(i -> new SingleDatabaseOrders.Line(i.productId(), i.quantity())).toList(),
                IdempotencyKeys.require(idempotencyKey));
        return Response.created(URI.create("/api/v1/orders/" + order.id())).entity(order).build();
    }
}
