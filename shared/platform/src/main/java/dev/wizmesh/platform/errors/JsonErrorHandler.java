package dev.wizmesh.platform.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wizmesh.platform.requestid.RequestIds;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself, before a request reaches our filters or Jersey (a malformed URI,
 * headers too large, a request it cannot parse), in the same JSON shape instead of Jetty's HTML
 * page. Such a request never got a request id, so it gets a fresh one here.
 */
public class JsonErrorHandler extends ErrorHandler {
    private final ObjectMapper mapper;

    public JsonErrorHandler(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause, Callback callback) {
        String requestId = RequestIds.acceptOrGenerate(request.getHeaders().get(RequestIds.HEADER));
        response.getHeaders().put(RequestIds.HEADER, requestId);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, MimeTypes.Type.APPLICATION_JSON.asString());
        response.write(true, ByteBuffer.wrap(body(status, message, requestId)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        String requestId = RequestIds.generate();
        fields.put(RequestIds.HEADER, requestId);
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, MimeTypes.Type.APPLICATION_JSON.asString()));
        return ByteBuffer.wrap(body(status, reason, requestId));
    }

    private byte[] body(int status, String jettyReason, String requestId) {
        ErrorCode code = ErrorCode.forHttpStatus(status);
        String reason = jettyReason == null || jettyReason.isBlank() ? "HTTP " + status : jettyReason + " (HTTP " + status + ")";
        Map<String, Object> details = Map.of("reason", reason);
        try {
            return mapper.writeValueAsBytes(ErrorBody.of(code, code.message(details), requestId, null, details));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an error body must always serialise", e);
        }
    }
}
