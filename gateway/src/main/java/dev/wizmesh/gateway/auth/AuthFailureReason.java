package dev.wizmesh.gateway.auth;

/**
 * Why a request was refused: a fixed set, so a reason never carries anything the client sent
 * (no token, no kid, no algorithm name) and can label a metric without exploding it.
 */
public enum AuthFailureReason {
    MISSING_TOKEN("missing bearer token", null),
    NOT_BEARER("authorization scheme is not Bearer", null),
    EMPTY_TOKEN("empty bearer token", "invalid_request"),
    MALFORMED("malformed token", "invalid_token"),
    UNSIGNED("unsigned token (alg none) not accepted", "invalid_token"),
    ENCRYPTED("encrypted token not accepted", "invalid_token"),
    ALGORITHM_NOT_ALLOWED("signature algorithm not allowed", "invalid_token"),
    UNEXPECTED_TYPE("unexpected token type", "invalid_token"),
    MISSING_KEY_ID("token has no key id", "invalid_token"),
    UNKNOWN_KEY_ID("unknown key id", "invalid_token"),
    BAD_SIGNATURE("bad signature", "invalid_token"),
    MALFORMED_CLAIMS("malformed claims", "invalid_token"),
    EXPIRED("token expired", "invalid_token"),
    NOT_YET_VALID("token not yet valid", "invalid_token"),
    ISSUED_IN_FUTURE("token issued in the future", "invalid_token"),
    WRONG_ISSUER("wrong issuer", "invalid_token"),
    WRONG_AUDIENCE("wrong audience", "invalid_token"),
    MISSING_CLAIM("missing required claim", "invalid_token"),
    SUBJECT_NOT_UUID("sub is not a UUID", "invalid_token"),
    TENANT_NOT_UUID("tid is not a UUID", "invalid_token"),
    BAD_ROLES("roles must be a list of role names", "invalid_token");

    /** The realm every challenge names. */
    public static final String REALM = "wizmesh";

    private final String description;
    private final String error;

    AuthFailureReason(String description, String error) {
        this.description = description;
        this.error = error;
    }

    /** For the client: the 401's {@code details.reason} and the challenge's {@code error_description}. */
    public String description() {
        return description;
    }

    /** The RFC 6750 error code, or null when no token was presented (§3.1: then the challenge has none). */
    public String error() {
        return error;
    }

    /** A metric label: {@code bad_signature}, {@code expired}, ... */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The {@code WWW-Authenticate} value for this reason (RFC 6750 §3). */
    public String challenge() {
        String base = "Bearer realm=\"" + REALM + "\"";
        return error == null ? base : base + ", error=\"" + error + "\", error_description=\"" + description + "\"";
    }

    public AuthenticationFailure failure() {
        return new AuthenticationFailure(description, challenge());
    }

    /** With a detail from our own configuration (a claim name), never from the request. */
    public AuthenticationFailure failure(String detail) {
        String text = description + " " + detail;
        String base = "Bearer realm=\"" + REALM + "\"";
        return new AuthenticationFailure(text, error == null ? base
                : base + ", error=\"" + error + "\", error_description=\"" + text + "\"");
    }
}
