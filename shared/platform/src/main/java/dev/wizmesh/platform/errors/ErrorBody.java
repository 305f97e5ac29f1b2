package dev.wizmesh.platform.errors;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The one error shape of every wizmesh HTTP API:
 * {@code {"error":{"code","message","requestId","traceId","details"}}}.
 */
public record ErrorBody(Error error) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Error(String code, String message, String requestId, String traceId, Map<String, Object> details) {
    }

    public static ErrorBody of(ErrorCode code, String message, String requestId, String traceId, Map<String, Object> details) {
        return new ErrorBody(new Error(code.name(), message, requestId, traceId, details == null ? Map.of() : details));
    }
}
