package dev.wizmesh.user.api;

import dev.wizmesh.platform.context.CallerChecks.Admin;
import dev.wizmesh.platform.context.CallerChecks.Member;
import dev.wizmesh.platform.idempotency.IdempotencyKeys;
import dev.wizmesh.platform.paging.Page;
import dev.wizmesh.platform.paging.PageLimit;
import dev.wizmesh.user.core.Ids;
import dev.wizmesh.user.core.Notification;
import dev.wizmesh.user.core.Notifications;
import dev.wizmesh.user.core.User;
import dev.wizmesh.user.core.UserDirectory;
import dev.wizmesh.user.core.Wallets;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** The tenant's users and wallets. {@code /me} is any user's own ({@link Member}); the rest is the admin's ({@link Admin}). */
@Path("/api/v1/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class UserResource {
    private final UserDirectory users;
    private final Wallets wallets;
    private final Notifications notifications;

    public UserResource(UserDirectory users, Wallets wallets, Notifications notifications) {
        this.notifications = notifications;
        this.users = users;
        this.wallets = wallets;
    }

    @GET
    @Path("/me")
    @Member
    public User me() {
        return users.me();
    }

    /** The caller's notifications (from order events), newest first: {@code ?limit=} and {@code ?cursor=} as every list. */
    @GET
    @Path("/me/notifications")
    @Member
    public Page<Notification> myNotifications(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return notifications.mine(PageLimit.parse(limit), cursor);
    }

    @GET
    @Path("/me/wallet")
    @Member
    public WalletView myWallet() {
        return WalletView.of(wallets.mine());
    }

    @POST
    @Admin
    public Response create(@Valid @NotNull CreateUserRequest request) {
        User created = users.create(request.email(), request.password(), request.displayName(), request.roles());
        return Response.created(URI.create("/api/v1/users/" + created.id())).entity(created).build();
    }

    @GET
    @Admin
    public Page<User> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return users.list(PageLimit.parse(limit), cursor);
    }

    @GET
    @Path("/{id}")
    @Admin
    public User get(@PathParam("id") String id) {
        return users.find(Ids.userId(id));
    }

    @PATCH
    @Path("/{id}")
    @Admin
    public User update(@PathParam("id") String id, @Valid @NotNull UpdateUserRequest request) {
        return users.update(Ids.userId(id), request.displayName(), request.roles(), request.status(), request.password());
    }

    @DELETE
    @Path("/{id}")
    @Admin
    public Response delete(@PathParam("id") String id) {
        users.delete(Ids.userId(id));
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/wallet/credits")
    @Admin
    public Response credit(@PathParam("id") String id, @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey,
                           @Valid @NotNull CreditRequest request) {
        Wallets.Credit credit = wallets.credit(Ids.userId(id), request.amountCents(), IdempotencyKeys.require(idempotencyKey));
        Response.ResponseBuilder response = Response.status(Response.Status.CREATED).entity(credit);
        if (credit.replayed()) {
            response.header(IdempotencyKeys.REPLAYED_HEADER, "true");
        }
        return response.build();
    }
}
