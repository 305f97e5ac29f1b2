package dev.wizmesh.gateway.auth;

/**
 * A request the gateway cannot authenticate: answered 401 {@code UNAUTHENTICATED} with
 * {@code details.reason} and a {@code WWW-Authenticate: Bearer ...} header (RFC 6750 §3).
 */
public final class AuthenticationFailure extends RuntimeException {
    private final String reason;
    private final String wwwAuthenticate;

    /**
     * @param reason          what was wrong, for the client (never key material): "missing token",
     *                        "expired", "bad signature", ...
     * @param wwwAuthenticate the header value, e.g. {@code Bearer realm="wizmesh", error="invalid_token",
     *                        error_description="expired"}
     */
    public AuthenticationFailure(String reason, String wwwAuthenticate) {
        super(reason);
        this.reason = reason;
        this.wwwAuthenticate = wwwAuthenticate;
    }

    public String reason() {
        return reason;
    }

    public String wwwAuthenticate() {
        return wwwAuthenticate;
    }
}
