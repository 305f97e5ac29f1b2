package dev.wizmesh.platform.paging;

import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/**
 * A keyset position in a list ordered by {@code (created_at, id)}: the last row a page showed.
 * The next page asks for rows after it ({@code WHERE (created_at, id) > (:at, :id)}), which an
 * index serves directly however deep the page. Opaque to clients (base64url); a cursor that does
 * not decode is a 400, never a 500.
 */
public record PageCursor(Instant createdAt, UUID id) {

    public String encode() {
        String raw = createdAt.toString() + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor of {@code ?cursor=}; null or blank means the first page (returns null). */
    public static PageCursor decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int bar = raw.indexOf('|');
            return new PageCursor(Instant.parse(raw.substring(0, bar)), UUID.fromString(raw.substring(bar + 1)));
        } catch (RuntimeException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, Map.of("reason", "cursor is not one this API handed out"));
        }
    }
}
