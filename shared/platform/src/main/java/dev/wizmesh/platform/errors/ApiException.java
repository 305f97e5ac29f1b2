package dev.wizmesh.platform.errors;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure a client is meant to see: a catalogue code plus details. Throw it from anywhere
 * below a resource; {@link ApiExceptionMapper} turns it into the one error body.
 */
public class ApiException extends RuntimeException {
    private final ErrorCode code;
    private final Map<String, Object> details;

    public ApiException(ErrorCode code) {
        this(code, Map.of(), null);
    }

    public ApiException(ErrorCode code, Map<String, ?> details) {
        this(code, details, null);
    }

    public ApiException(ErrorCode code, Map<String, ?> details, Throwable cause) {
        super(code.message(details), cause);
        this.code = code;
        this.details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }
}
