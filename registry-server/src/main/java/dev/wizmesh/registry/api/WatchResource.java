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
        // an id this registry did not issue (another registry, or before a restart) gets a snapshot
        hub.open(Set.copyOf(services), lastEventId, parseSession(session), sink, sse);
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
