package dev.wizmesh.user.api;

import dev.wizmesh.user.core.TenantSignup;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Public sign-up (the gateway routes it without a token; YAML can switch it off). */
@Path("/api/v1/tenants")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TenantResource {
    private final TenantSignup signup;

    public TenantResource(TenantSignup signup) {
        this.signup = signup;
    }

    @POST
    public Response signUp(@Valid @NotNull SignupRequest request) {
        TenantSignup.NewTenant created = signup.signUp(request.name(), request.adminEmail(), request.adminPassword());
        return Response.status(Response.Status.CREATED)
                .entity(new SignupResponse(created.tenantId(), created.adminUserId()))
                .build();
    }
}
