package dev.wizmesh.order.api;

import dev.wizmesh.order.core.Order;
import dev.wizmesh.order.core.OrderBook;
import dev.wizmesh.order.core.OrderPlacement;
import dev.wizmesh.order.core.OrderStatus;
import dev.wizmesh.order.core.PendingOrderExpiry;
import dev.wizmesh.order.core.SalesReport;
import dev.wizmesh.persistence.tenancy.TenantTransactions;
import dev.wizmesh.platform.context.CallerChecks.Admin;
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
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Map;
import java.util.UUID;

/**
 * Orders: place (idempotent), read, list, cancel while PENDING; any user of the tenant ({@link Member}). For admins
 * ({@link Admin}), the jobs cron-svc runs: expire old PENDING orders, and a day's sales. The literal paths
 * {@code /sales} and {@code /expire-pending} win over {@code /{id}} (JAX-RS prefers the template with more
 * literal characters), and an order id is a UUID, so neither can name an order.
 */
@Path("/api/v1/orders")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OrderResource {

    private final OrderPlacement placement;
    private final OrderBook book;
    private final TransactionCoordinator transactions;
    private final PendingOrderExpiry expiry;
    private final SalesReport sales;

    static final int DEFAULT_EXPIRY_MINUTES = 30;
    static final int MAX_EXPIRY_MINUTES = 10_080; // a week

    public OrderResource(OrderPlacement placement, OrderBook book, TransactionCoordinator transactions, PendingOrderExpiry expiry,
                         SalesReport sales) {
        this.placement = placement;
        this.book = book;
        this.transactions = transactions;
        this.expiry = expiry;
        this.sales = sales;
    }

    /** The answer of {@link #expirePending}. */
    public record ExpiredOrders(int expired, int stillSettling, int olderThanMinutes) {
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

    /**
     * Cancels the tenant's PENDING orders created more than {@code olderThanMinutes} (1 to 10080, default 30) ago
     * whose placement transaction no longer runs; those whose transaction still runs are left to it and counted in
     * {@code stillSettling} ({@link PendingOrderExpiry}). A repeat finds nothing left to expire, so a retry with the
     * same {@code Idempotency-Key} (optional here; checked like anywhere else when given) is harmless.
     */
    @POST
    @Path("/expire-pending")
    @Admin
    public ExpiredOrders expirePending(@HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey,
                                       @QueryParam("olderThanMinutes") String olderThanMinutes) {
        if (idempotencyKey != null) {
            IdempotencyKeys.require(idempotencyKey);
        }
        int minutes = minutes(olderThanMinutes);
        PendingOrderExpiry.Outcome outcome = expiry.expire(TenantTransactions.currentTenant(), Duration.ofMinutes(minutes));
        return new ExpiredOrders(outcome.expired(), outcome.stillSettling(), minutes);
    }

    /** The tenant's CONFIRMED orders of one UTC day ({@code date=YYYY-MM-DD}), aggregated ({@link SalesReport}). */
    @GET
    @Path("/sales")
    @Admin
    public SalesReport.DailySales sales(@QueryParam("date") String date) {
        return sales.of(TenantTransactions.currentTenant(), day(date));
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

    private static int minutes(String value) {
        if (value == null) {
            return DEFAULT_EXPIRY_MINUTES;
        }
        try {
            int minutes = Integer.parseInt(value.trim());
            if (minutes >= 1 && minutes <= MAX_EXPIRY_MINUTES) {
                return minutes;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ApiException(ErrorCode.BAD_REQUEST, Map.of("reason",
                "olderThanMinutes must be a whole number from 1 to " + MAX_EXPIRY_MINUTES + ", got '" + value + "'"));
    }

    /** A calendar day as YYYY-MM-DD, strictly (no 2026-02-30, no 2026-1-5). */
    private static LocalDate day(String value) {
        if (value == null || value.isBlank()) {
            throw new ApiException(ErrorCode.BAD_REQUEST, Map.of("reason", "date is required, as YYYY-MM-DD (a UTC day)"));
        }
        try {
            return LocalDate.parse(value.trim(), DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT));
        } catch (DateTimeParseException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, Map.of("reason", "date must be a day as YYYY-MM-DD, got '" + value + "'"));
        }
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
