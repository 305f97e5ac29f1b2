package dev.wizmesh.user.core;

import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import java.util.Map;
import java.util.UUID;

/** Ids from paths: one that is not even a UUID names no user, so it is the same 404 as a missing one. */
public final class Ids {
    private Ids() {
    }

    public static UUID userId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.USER_NOT_FOUND, Map.of("userId", id));
        }
    }
}
