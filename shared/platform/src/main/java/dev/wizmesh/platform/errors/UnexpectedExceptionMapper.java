package dev.wizmesh.platform.errors;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anything else is our bug, unless the client broke the request itself (see
 * {@link ClientSideFailure}): 500 INTERNAL with no stack trace or class name in the body. The
 * stack goes to the log (the line carries the request id) and onto the span as an event.
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);

    @Override
    public Response toResponse(Throwable e) {
        Optional<ClientSideFailure> client = ClientSideFailure.of(e);
        if (client.isPresent()) {
            // not our bug, and the client may be gone: no stack trace, no ERROR line
            LOG.info("request body failed on the client's side: {}", client.get().reason());
            return ErrorResponses.of(client.get().code(), Map.of("reason", client.get().reason()));
        }
        LOG.error("unexpected failure", e);
        ErrorResponses.recordFailure(e);
        return ErrorResponses.of(ErrorCode.INTERNAL, Map.of());
    }
}
