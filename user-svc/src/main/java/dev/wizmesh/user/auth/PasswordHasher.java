package dev.wizmesh.user.auth;

import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * bcrypt (Bouncy Castle's OpenBSD implementation, {@code $2y$} hashes) with a per-password random
 * salt and a configurable cost (each +1 doubles the work; 10 ≈ 50-100 ms here).
 *
 * <p>{@link #verifyAgainstNothing} spends the same time as a real check, so that a login for an
 * unknown user takes as long as one with a wrong password and timing does not reveal who exists.
 */
public final class PasswordHasher {
    /** bcrypt reads at most 72 bytes; a longer password would be silently truncated, so it is refused. */
    public static final int MAX_BYTES = 72;

    private final SecureRandom random = new SecureRandom();
    private final int cost;
    private final String dummyHash;

    public PasswordHasher(int cost) {
        this.cost = cost;
        this.dummyHash = hash("not-a-password-anyone-has", "password");
    }

    /** The hash of a new password; {@code field} names it in the 422 when it is too long. */
    public String hash(String password, String field) {
        requireHashable(password, field);
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, cost);
    }

    public boolean matches(String password, String hash) {
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            verifyAgainstNothing();
            return false;
        }
        return OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
    }

    /** Burns one verification's worth of time for an attempt that has no user behind it. */
    public void verifyAgainstNothing() {
        OpenBSDBCrypt.checkPassword(dummyHash, "wrong".toCharArray());
    }

    private static void requireHashable(String password, String field) {
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, Map.of("count", 1,
                    "fields", List.of(Map.of("field", field, "message", "must be at most 72 bytes in UTF-8"))));
        }
    }
}
