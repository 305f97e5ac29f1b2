package dev.wizmesh.gateway.proxy;

import dev.wizmesh.platform.errors.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the gateway answers itself instead of forwarding: an error code from the one
 * catalogue, its details, and any headers the answer needs ({@code Retry-After},
 * {@code WWW-Authenticate}, {@code Allow}).
 */
public record Rejection(ErrorCode code, Map<String, Object> details, Map<String, String> headers) {
    public Rejection {
        details = Map.copyOf(details);
        headers = Map.copyOf(headers);
    }

    public static Rejection of(ErrorCode code, Map<String, Object> details) {
        return new Rejection(code, details, Map.of());
    }

    public Rejection withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Rejection(code, details, more);
    }
}
