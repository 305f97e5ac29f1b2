package dev.wizmesh.registry.api;

import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.platform.errors.ErrorResponses;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Map;

/**
 * Writes to the registry (register, heartbeat, status, delete, and a watch that holds an
 * instance's session) need {@code Authorization: Bearer <token>}; reads too when configured. Unlike Eureka and Nacos, which accept anyone's
 * registration by default, so any process on the network could hijack a service name.
 * The comparison is constant-time, so the token cannot be guessed byte by byte from timings.
 */
@Priority(Priorities.AUTHENTICATION)
public class WriteTokenFilter implements ContainerRequestFilter {
    private final BearerToken token;
    private final boolean protectReads;

    public WriteTokenFilter(String token, boolean protectReads) {
        this.token = new BearerToken(token);
        this.protectReads = protectReads;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        boolean read = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
        // a watch that names an instance's session can bring that instance back UP: a write
        boolean session = request.getUriInfo().getQueryParameters().containsKey("session");
        if (read && !session && !protectReads) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (!token.matches(header)) {
            request.abortWith(ErrorResponses.builder(ErrorCode.UNAUTHENTICATED, BearerToken.REFUSAL,
                    Map.of("reason", BearerToken.reason(header)))
                    .header(HttpHeaders.WWW_AUTHENTICATE, BearerToken.CHALLENGE).build());
        }
    }
}
