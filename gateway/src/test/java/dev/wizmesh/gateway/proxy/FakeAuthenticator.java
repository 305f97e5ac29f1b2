package dev.wizmesh.gateway.proxy;

import dev.wizmesh.gateway.auth.AuthenticationFailure;
import dev.wizmesh.gateway.auth.Authenticator;
import dev.wizmesh.gateway.auth.Caller;
import java.util.List;

/** Stands in for the JWT authenticator: "Bearer good" is tenant-1's admin, anything else is refused. */
final class FakeAuthenticator implements Authenticator {
    static final Caller CALLER = new Caller("user-1", "tenant-1", List.of("admin", "user"));

    @Override
    public Caller authenticate(String authorization) {
        if ("Bearer good".equals(authorization)) {
            return CALLER;
        }
        throw new AuthenticationFailure(authorization == null ? "missing token" : "bad signature",
                "Bearer realm=\"wizmesh\", error=\"invalid_token\"");
    }
}
