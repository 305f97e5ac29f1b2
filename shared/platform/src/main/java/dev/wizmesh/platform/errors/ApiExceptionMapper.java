package dev.wizmesh.platform.errors;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Our own failures: the code decides the status; 5xx ones are logged with their stack. */
@Provider
public class ApiExceptionMapper implements ExceptionMapper<ApiException> {
    private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionMapper.class);

    @Override
    public Response toResponse(ApiException e) {
        if (e.code().httpStatus() >= 500) {
            LOG.error("request failed with {}", e.code(), e);
            ErrorResponses.recordFailure(e);
        }
        return ErrorResponses.of(e.code(), e.getMessage(), e.details());
    }
}
