package dev.wizmesh.platform.errors;

import dev.wizmesh.platform.logging.LogFields;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.slf4j.MDC;

/**
 * Builds error responses in the one shape, stamped with the current request id and trace id,
 * and records the failure on the current server span.
 */
public final class ErrorResponses {
    /** Our catalogue code on the span, so traces can be searched by it. */
    public static final AttributeKey<String> ERROR_CODE = AttributeKey.stringKey("wizmesh.error.code");
    /** OpenTelemetry's semantic-convention attribute for the class of error. */
    public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private ErrorResponses() {
    }

    public static Response of(ErrorCode code, Map<String, Object> details) {
        return of(code, code.message(details), details);
    }

    public static Response of(ErrorCode code, String message, Map<String, Object> details) {
        return builder(code, message, details).build();
    }

    public static Response.ResponseBuilder builder(ErrorCode code, String message, Map<String, Object> details) {
        Span span = Span.current();
        span.setAttribute(ERROR_CODE, code.name());
        span.setAttribute(ERROR_TYPE, code.name());
        SpanContext ctx = span.getSpanContext();
        String traceId = ctx.isValid() ? ctx.getTraceId() : null;
        ErrorBody body = ErrorBody.of(code, message, MDC.get(LogFields.REQUEST_ID), traceId, details);
        return Response.status(code.httpStatus()).type(MediaType.APPLICATION_JSON_TYPE).entity(body);
    }

    /** Writes the error body straight to a servlet response, for filters that run before Jersey. */
    public static void write(HttpServletResponse response, ObjectMapper mapper, ErrorCode code, Map<String, Object> details)
            throws IOException {
        Response built = of(code, details);
        response.setStatus(built.getStatus());
        response.setContentType(MediaType.APPLICATION_JSON);
        mapper.writeValue(response.getOutputStream(), built.getEntity());
    }

    /** Marks the current span failed with the exception as an event (stack trace included). */
    public static void recordFailure(Throwable failure) {
        Span span = Span.current();
        span.recordException(failure);
        span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
    }
}
