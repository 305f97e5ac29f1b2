package dev.wizmesh.user.api;

import dev.wizmesh.user.auth.TokenIssuer;
import dev.wizmesh.user.core.Authenticator;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;

/** Login: credentials in, an RS256 access token out. */
@Path("/api/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AuthResource {
    private final Authenticator authenticator;

    public AuthResource(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @POST
    @Path("/login")
    public TokenResponse login(@Valid @NotNull LoginRequest request) {
        TokenIssuer.AccessToken token = authenticator.login(UUID.fromString(request.tenantId()), request.email(),
                request.password());
        return new TokenResponse(token.token(), "Bearer", token.expiresInSeconds());
    }
}
