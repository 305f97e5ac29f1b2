package dev.wizmesh.platform.errors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JAX-RS's own failures (no route: 404, wrong method: 405, bad media type: 415, ...) in our
 * shape. Headers the status needs (Allow on 405, WWW-Authenticate on 401) are kept.
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
    private static final Logger LOG = LoggerFactory.getLogger(WebApplicationExceptionMapper.class);

    @Context
    private UriInfo uriInfo;
    @Context
    private Request request;
    @Context
    private HttpHeaders headers;

    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original.getStatus();
        ErrorCode code = ErrorCode.forHttpStatus(status);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("method", request.getMethod());
        details.put("path", "/" + uriInfo.getPath(false).replaceFirst("^/", ""));
        if (status == 405) {
            details.put("allowed", String.join(", ", original.getAllowedMethods()));
        }
        if (status == 415) {
            details.put("contentType", String.valueOf(headers.getMediaType()));
        }
        if (code == ErrorCode.BAD_REQUEST) {
            details.put("reason", "malformed parameter or body");
        }
        if (status >= 500) {
            LOG.error("request failed with HTTP {}", status, e);
            ErrorResponses.recordFailure(e);
        }
        Response.ResponseBuilder out = ErrorResponses.builder(code, code.message(details), details).status(status);
        for (String header : new String[] {"Allow", "WWW-Authenticate", "Retry-After"}) {
            Object value = original.getHeaders().getFirst(header);
            if (value != null) {
                out.header(header, value);
            }
        }
        return out.build();
    }
}
