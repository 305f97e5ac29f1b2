package dev.wizmesh.platform.errors;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Our own failures: the code decides the status; 5xx ones are logged with their stack. */
@Provider
public class ApiExceptionMapper implements ExceptionMapper<ApiException> {
    /** The detail that, when present, becomes a {@code Retry-After} header (whole seconds). */
    public static final String RETRY_AFTER_SECONDS = "retryAfterSeconds";

    private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionMapper.class);

    @Override
    public Response toResponse(ApiException e) {
        if (e.code().httpStatus() >= 500) {
            LOG.error("request failed with {}", e.code(), e);
            ErrorResponses.recordFailure(e);
        }
        Response.ResponseBuilder response = ErrorResponses.builder(e.code(), e.getMessage(), e.details());
        // a failure that says when to come back (throttling, rate limits) says it in the header too
        Object retryAfter = e.details().get(RETRY_AFTER_SECONDS);
        if (retryAfter != null) {
            response.header("Retry-After", retryAfter);
        }
        return response.build();
    }
}
