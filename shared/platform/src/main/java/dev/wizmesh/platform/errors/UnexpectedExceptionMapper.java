package dev.wizmesh.platform.errors;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anything else is our bug: 500 INTERNAL with no stack trace or class name in the body. The
 * stack goes to the log (the line carries the request id) and onto the span as an event.
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);

    @Override
    public Response toResponse(Throwable e) {
        LOG.error("unexpected failure", e);
        ErrorResponses.recordFailure(e);
        return ErrorResponses.of(ErrorCode.INTERNAL, Map.of());
    }
}
