package dev.wizmesh.registry.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The registry's write token, checked in constant time so it cannot be guessed byte by byte
 * from timings. Shared by the places that check it: {@link WriteTokenFilter} (Jersey),
 * {@link HeartbeatFastPath} and {@link WatchServlet} (servlet level).
 */
final class BearerToken {
    /** The {@code WWW-Authenticate} challenge sent with a 401. */
    static final String CHALLENGE = "Bearer realm=\"wizmesh-registry\"";
    static final String REFUSAL = "A valid registry token is required";

    private final byte[] expected;

    BearerToken(String token) {
        this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    /** Whether an {@code Authorization} header (null when absent) carries the token. */
    boolean matches(String authorization) {
        byte[] given = authorization == null ? new byte[0] : authorization.getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, given);
    }

    /** Why a header was refused, for the error's details. */
    static String reason(String authorization) {
        return authorization == null ? "missing bearer token" : "wrong bearer token";
    }
}
