package dev.wizmesh.platform.idempotency;

import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import java.util.Map;

/**
 * The {@code Idempotency-Key} header (Stripe's, and the IETF draft's): required where a retry
 * must not repeat an effect (placing an order, crediting a wallet). Each service stores the key
 * with the effect under a unique index, so a retry finds the first outcome.
 */
public final class IdempotencyKeys {
    public static final String HEADER = "Idempotency-Key";
    /** Set on an answer that repeats the first request's outcome for the key. */
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final int MAX_LENGTH = 200;

    private IdempotencyKeys() {
    }

    /** The header's value; missing or blank is a 400 IDEMPOTENCY_KEY_REQUIRED, over 200 characters a 400. */
    public static String require(String key) {
        if (key == null || key.isBlank()) {
            throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_REQUIRED, Map.of());
        }
        if (key.length() > MAX_LENGTH) {
            throw new ApiException(ErrorCode.BAD_REQUEST, Map.of("reason", "Idempotency-Key is longer than " + MAX_LENGTH));
        }
        return key;
    }
}
