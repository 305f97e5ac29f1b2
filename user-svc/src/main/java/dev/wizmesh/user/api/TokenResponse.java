package dev.wizmesh.user.api;

/** The OAuth 2.0 shape (RFC 6749 §5.1), camel-cased like the rest of the API. */
public record TokenResponse(String accessToken, String tokenType, long expiresIn) {
}
