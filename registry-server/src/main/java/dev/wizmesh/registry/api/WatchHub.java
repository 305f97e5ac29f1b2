package dev.wizmesh.registry.api;

import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.registry.core.InstanceRegistry;
import dev.wizmesh.registry.core.RegistryEvent;
import dev.wizmesh.registry.core.SessionTracker;
import io.dropwizard.lifecycle.Managed;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens watch streams: a SNAPSHOT (or the missed events, when resuming with Last-Event-ID and
 * the history still has them), then every change as it happens; keep-alive comments every
 * {@code keepAlive}. A stream that names its own instance ({@code session=service/id}) is that
 * instance's session: it is probed often, and its end is reported to the {@link SessionTracker}.
 */
public class WatchHub implements Managed {
    /** A write stuck this long is a peer that stopped reading: its thread is replaced. */
    private static final long STALLED_WRITE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private final InstanceRegistry registry;
    private final SessionTracker sessions;
    private final long keepAliveMillis;
    private final long sessionProbeMillis;
    private final int queueSize;
    private final Map<WatchStream, ScheduledFuture<?>> open = new ConcurrentHashMap<>();
    private final AtomicInteger openCount = new AtomicInteger();
    private final com.fasterxml.jackson.databind.ObjectMapper mapper;
    private final java.util.function.Consumer<RegistryEvent> fanOut = this::fanOut;
    private volatile Sse sse;
    private volatile boolean closing;
    /**
     * Names this run of the registry in every event id ({@code <epoch>-<index>}): an index from
     * another registry, or from before a restart, is never mistaken for one of ours.
     */
    private final String epoch = Long.toString(System.currentTimeMillis(), 36);
    private SenderPool sender;
    private ScheduledExecutorService timer;

    public WatchHub(InstanceRegistry registry, SessionTracker sessions, com.fasterxml.jackson.databind.ObjectMapper mapper,
                    long keepAliveMillis, long sessionProbeMillis, int queueSize) {
        this.registry = registry;
        this.mapper = mapper;
        this.sessions = sessions;
        this.keepAliveMillis = keepAliveMillis;
        this.sessionProbeMillis = sessionProbeMillis;
        this.queueSize = queueSize;
    }

    @Override
    public void start() {
        // one thread per core; a write stuck on a peer that stopped reading gets a thread added in
        // its place (SenderPool), so it never holds up every other stream's events and probes
        sender = new SenderPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "watch-keepalive"));
        timer.scheduleWithFixedDelay(() -> {
            long now = System.nanoTime();
            open.keySet().forEach(stream -> stream.checkStalled(now, STALLED_WRITE_NANOS));
        }, 250, 250, TimeUnit.MILLISECONDS);
        registry.events().addListener(fanOut);
    }

    /**
     * One listener for all streams: each change is rendered to JSON once, not once per watcher,
     * and the same immutable event is queued on every stream that wants it.
     */
    private void fanOut(RegistryEvent event) {
        Sse current = sse;
        if (current == null || open.isEmpty()) {
            return;
        }
        jakarta.ws.rs.sse.OutboundSseEvent rendered = render(current, event);
        for (WatchStream stream : open.keySet()) {
            stream.offer(event, rendered);
        }
    }

    private jakarta.ws.rs.sse.OutboundSseEvent render(Sse with, RegistryEvent event) {
        try {
            return with.newEventBuilder().name(event.type().name()).id(eventId(event.index()))
                    .mediaType(jakarta.ws.rs.core.MediaType.APPLICATION_JSON_TYPE)
                    .data(String.class, mapper.writeValueAsString(event)).build();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a registry event must always serialise", e);
        }
    }

    /**
     * Ends every stream and refuses new ones (clients reconnect elsewhere, or here after a
     * restart). Called when shutdown begins: an open stream would hold the graceful stop for the
     * whole grace period, and a client reconnecting on a kept-alive connection would open another.
     */
    public void closeAll() {
        // under the lock that open() registers under: no stream can slip in after the sweep below
        registry.whileLocked(() -> closing = true);
        open.keySet().forEach(WatchStream::close);
    }

    @Override
    public void stop() {
        registry.events().removeListener(fanOut);
        closeAll();
        timer.shutdownNow();
        sender.shutdownNow();
    }

    public record Session(String service, String id) {
    }

    String eventId(long index) {
        return epoch + "-" + index;
    }

    /** The index in a Last-Event-ID of this run of the registry; empty for anything else. */
    Optional<Long> indexOf(String lastEventId) {
        if (lastEventId == null || !lastEventId.startsWith(epoch + "-")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(lastEventId.substring(epoch.length() + 1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public void open(Set<String> services, String lastEventId, Optional<Session> session, SseEventSink sink, Sse sse) {
        if (closing) {
            throw new ApiException(ErrorCode.SHUTTING_DOWN, Map.of());
        }
        this.sse = sse;
        WatchStream stream = new WatchStream(services, sink, sse, sender, queueSize, closed -> onClose(closed, session));
        long every = session.isPresent() ? sessionProbeMillis : keepAliveMillis;
        // Under the registry's lock: joining the fan-out, the catch-up (snapshot or missed events)
        // and the session's start happen with no change in between, so each change is seen
        // exactly once, and a stream that fails at once is cleaned up after it was registered.
        registry.whileLocked(() -> {
            if (closing) {
                // 503 before the stream starts: the client retries (here after a restart, or
                // another registry); the sink is never opened, so nothing holds the stop
                throw new ApiException(ErrorCode.SHUTTING_DOWN, Map.of());
            }
            openCount.incrementAndGet();
            open.put(stream, timer.scheduleWithFixedDelay(() -> {
                if (stream.isClosed()) {
                    stream.close(); // runs onClose once, which cancels this ticker
                } else {
                    stream.ping();
                }
            }, every, every, TimeUnit.MILLISECONDS));
            Optional<List<RegistryEvent>> missed = indexOf(lastEventId).flatMap(id -> registry.events().since(id, registry.index()));
            if (missed.isPresent()) {
                missed.get().forEach(e -> stream.offer(e, render(sse, e)));
                stream.ping(); // something at once, so the client knows the resumed stream is live
            } else {
                InstanceRegistry.Snapshot snapshot = registry.snapshot(services);
                stream.sendSnapshot(snapshot, eventId(snapshot.index()));
            }
            // after the catch-up, so a "session restored" change follows the snapshot it updates
            session.ifPresent(s -> sessions.sessionOpened(s.service(), s.id()));
        });
        stream.start();
    }

    private void onClose(WatchStream stream, Optional<Session> session) {
        ScheduledFuture<?> ticker = open.remove(stream);
        if (ticker != null) {
            ticker.cancel(false);
        }
        openCount.decrementAndGet();
        session.ifPresent(s -> sessions.sessionClosed(s.service(), s.id()));
    }

    /** Watch streams open now (a metric). */
    public int openStreams() {
        return openCount.get();
    }
}
