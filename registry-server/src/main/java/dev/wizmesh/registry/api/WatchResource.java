package dev.wizmesh.registry.api;

import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /v1/watch?service=a&service=b} (none: every service): Server-Sent Events, one per
 * change ({@code REGISTERED}, {@code UPDATED}, {@code DEREGISTERED}, {@code EXPIRED}), each with
 * its index as the event id, so {@code Last-Event-ID} resumes without loss. Every new stream
 * starts with a {@code SNAPSHOT} event, unless it resumes.
 */
@Path("/v1/watch")
public class WatchResource {
    private final WatchHub hub;

    public WatchResource(WatchHub hub) {
        this.hub = hub;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void watch(@QueryParam("service") List<String> services,
                      @QueryParam("session") String session,
                      @HeaderParam("Last-Event-ID") String lastEventId,
                      @Context SseEventSink sink,
                      @Context Sse sse) {
        hub.open(Set.copyOf(services), parseIndex(lastEventId), parseSession(session), sink, sse);
    }

    private static Optional<Long> parseIndex(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(lastEventId.trim()));
        } catch (NumberFormatException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, Map.of("reason", "Last-Event-ID must be a registry index"));
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
}
