package dev.wizmesh.user.api;

import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import java.util.Map;

/** The {@code Idempotency-Key} header: required where a retry must not repeat an effect. */
final class IdempotencyKeys {
    static final String HEADER = "Idempotency-Key";
    static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final int MAX_LENGTH = 200;

    private IdempotencyKeys() {
    }

    static String require(String key) {
        if (key == null || key.isBlank()) {
            throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_REQUIRED, Map.of());
        }
        if (key.length() > MAX_LENGTH) {
            throw new ApiException(ErrorCode.BAD_REQUEST, Map.of("reason", "Idempotency-Key is longer than " + MAX_LENGTH));
        }
        return key;
    }
}
