package dev.wizmesh.gateway.auth;

/** Turns a request's {@code Authorization} header into a verified {@link Caller}. */
public interface Authenticator {
    /**
     * @param authorization the raw header value (null when absent)
     * @throws AuthenticationFailure when there is no valid bearer token
     */
    Caller authenticate(String authorization);
}
