package dev.wizmesh.registry.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.platform.errors.ErrorResponses;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /v1/watch?service=a&service=b} (none: every service): Server-Sent Events, one per
 * change ({@code REGISTERED}, {@code UPDATED}, {@code DEREGISTERED}, {@code EXPIRED}), each with
 * {@code <epoch>-<index>} as the event id, so {@code Last-Event-ID} resumes without loss. Every
 * new stream starts with a {@code SNAPSHOT} event, unless it resumes. {@code session=service/id}
 * makes the stream that instance's session ({@link WatchHub}).
 *
 * <p>A servlet, not a Jersey resource: a change goes to every open stream, so each delivery must
 * be as cheap as a write can be. The streams are asynchronous servlet responses written without
 * blocking ({@link WatchStream}), with bytes rendered once per change; Jersey's SSE sink would
 * add its own per-event writer, a flush per event and a blocking wait per send. The platform's
 * servlet filters still run (request id, server span, request context); refusals use the one
 * error shape: 401 (a session stream is a write; reads too with {@code protectReads}), 400 (a
 * malformed session), 503 (shutting down).
 */
public class WatchServlet extends HttpServlet {
    static final String PATH = "/v1/watch";
    private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");

    private final transient WatchHub hub;
    private final transient BearerToken token;
    private final boolean protectReads;
    private final transient ObjectMapper mapper;

    public WatchServlet(WatchHub hub, String token, boolean protectReads, ObjectMapper mapper) {
        this.hub = hub;
        this.token = new BearerToken(token);
        this.protectReads = protectReads;
        this.mapper = mapper;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Span.current().setAttribute(ROUTE, PATH).updateName(request.getMethod() + " " + PATH);
        if (!"GET".equals(request.getMethod())) {
            response.setHeader("Allow", "GET");
            refuse(response, ErrorCode.METHOD_NOT_ALLOWED, null, Map.of("method", request.getMethod(), "allowed", "GET"));
            return;
        }
        // a watch that names an instance's session can bring that instance back UP: a write
        String authorization = request.getHeader("Authorization");
        if ((protectReads || request.getParameterMap().containsKey("session")) && !token.matches(authorization)) {
            response.setHeader("WWW-Authenticate", BearerToken.CHALLENGE);
            refuse(response, ErrorCode.UNAUTHENTICATED, BearerToken.REFUSAL, Map.of("reason", BearerToken.reason(authorization)));
            return;
        }
        try {
            String[] services = request.getParameterValues("service");
            // an id this registry did not issue (another registry, or before a restart) gets a snapshot
            hub.open(services == null ? Set.of() : Set.copyOf(Arrays.asList(services)), request.getHeader("Last-Event-ID"),
                    parseSession(request.getParameter("session")), request, response);
        } catch (ApiException e) {
            refuse(response, e.code(), e.getMessage(), e.details());
        }
    }

    private static Optional<WatchHub.Session> parseSession(String session) {
        if (session == null || session.isBlank()) {
            return Optional.empty();
        }
        int slash = session.indexOf('/');
        if (slash <= 0 || slash == session.length() - 1) {
            throw new ApiException(ErrorCode.BAD_REQUEST, Map.of("reason", "session must be <service>/<instance id>"));
        }
        return Optional.of(new WatchHub.Session(session.substring(0, slash), session.substring(slash + 1)));
    }

    /** The one error shape, with the request and trace ids, as Jersey's exception mappers write it. */
    private void refuse(HttpServletResponse response, ErrorCode code, String message, Map<String, Object> details) throws IOException {
        Response error = ErrorResponses.of(code, message == null ? code.message(details) : message, details);
        response.setStatus(error.getStatus());
        response.setContentType(MediaType.APPLICATION_JSON);
        mapper.writeValue(response.getOutputStream(), error.getEntity());
    }
}
