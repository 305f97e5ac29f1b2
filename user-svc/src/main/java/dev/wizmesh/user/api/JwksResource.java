package dev.wizmesh.user.api;

import dev.wizmesh.user.auth.SigningKeys;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Response;

/**
 * The public keys that verify our tokens (RFC 7517), for the gateway and anyone else. Cacheable
 * for five minutes: a verifier that meets an unknown {@code kid} refetches at once anyway.
 */
@Path("/.well-known/jwks.json")
public class JwksResource {
    private final SigningKeys keys;

    public JwksResource(SigningKeys keys) {
        this.keys = keys;
    }

    @GET
    @Produces({"application/jwk-set+json", "application/json"})
    public Response jwks() {
        CacheControl cache = new CacheControl();
        cache.setMaxAge(300);
        return Response.ok(keys.jwks()).cacheControl(cache).build();
    }
}
