package dev.wizmesh.platform.errors;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request body Jackson could not read: 400 MALFORMED_JSON saying where, without echoing
 * Jackson's message (it names our Java classes). A Jackson failure that is our bug (a type it
 * cannot construct, or a response it cannot write) is a 500.
 */
@Provider
public class JsonExceptionMapper implements ExceptionMapper<JsonProcessingException> {
    private static final Logger LOG = LoggerFactory.getLogger(JsonExceptionMapper.class);

    @Override
    public Response toResponse(JsonProcessingException e) {
        if (e instanceof InvalidDefinitionException) {
            LOG.error("JSON (de)serialisation is misconfigured", e);
            ErrorResponses.recordFailure(e);
            return ErrorResponses.of(ErrorCode.INTERNAL, Map.of());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        String reason;
        if (e instanceof JsonParseException) {
            reason = "syntax error";
        } else if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            details.put("field", field);
            reason = "unexpected value or unknown field '" + field + "'";
        } else {
            reason = "empty or unreadable body";
        }
        if (e.getLocation() != null) {
            details.put("line", e.getLocation().getLineNr());
            details.put("column", e.getLocation().getColumnNr());
        }
        details.put("reason", reason);
        return ErrorResponses.of(ErrorCode.MALFORMED_JSON, details);
    }
}
