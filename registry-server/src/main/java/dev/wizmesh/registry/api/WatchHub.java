package dev.wizmesh.registry.api;

import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.registry.core.InstanceRegistry;
import dev.wizmesh.registry.core.RegistryEvent;
import dev.wizmesh.registry.core.SessionTracker;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.lifecycle.Managed;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
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
    private final InstanceRegistry registry;
    private final SessionTracker sessions;
    private final long keepAliveMillis;
    private final long sessionProbeMillis;
    private final int queueSize;
    private final Map<WatchStream, ScheduledFuture<?>> open = new ConcurrentHashMap<>();
    private final AtomicInteger openCount = new AtomicInteger();
    private final ObjectMapper mapper;
    private final java.util.function.Consumer<RegistryEvent> fanOut = this::fanOut;
    private volatile boolean closing;
    /**
     * Names this run of the registry in every event id ({@code <epoch>-<index>}): an index from
     * another registry, or from before a restart, is never mistaken for one of ours.
     */
    private final String epoch = Long.toString(System.currentTimeMillis(), 36);
    private ExecutorService sender;
    private ScheduledExecutorService timer;

    public WatchHub(InstanceRegistry registry, SessionTracker sessions, ObjectMapper mapper,
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
        // Writes never block (WatchStream), so a thread per core is enough for any number of
        // streams: a peer that stopped reading holds no thread, only its queue. More threads would
        // only add hand-offs on the cores the writes need.
        AtomicInteger threads = new AtomicInteger();
        sender = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
            Thread t = new Thread(r, "watch-sender-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "watch-keepalive"));
        registry.events().addListener(fanOut);
    }

    /**
     * One listener for all streams: each change is rendered to its SSE bytes once, not once per
     * watcher, and the same bytes are queued on every stream that wants them.
     */
    private void fanOut(RegistryEvent event) {
        if (open.isEmpty()) {
            return;
        }
        byte[] frame = render(event);
        for (WatchStream stream : open.keySet()) {
            stream.offer(event, frame);
        }
    }

    private byte[] render(RegistryEvent event) {
        return SseFrames.event(event.type().name(), eventId(event.index()), json(event));
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
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

    /**
     * Opens a watch stream on this request: the response goes asynchronous and stays open until
     * the client leaves, the stream overflows, or the registry shuts down (refused with
     * SHUTTING_DOWN, before anything is written, once {@link #closeAll()} has begun).
     */
    public void open(Set<String> services, String lastEventId, Optional<Session> session,
                     HttpServletRequest request, HttpServletResponse response) {
        if (closing) {
            throw new ApiException(ErrorCode.SHUTTING_DOWN, Map.of());
        }
        long every = session.isPresent() ? sessionProbeMillis : keepAliveMillis;
        WatchStream stream = new WatchStream(services, request, sender, queueSize, closed -> onClose(closed, session));
        InstanceRegistry.Snapshot[] snapshot = new InstanceRegistry.Snapshot[1];
        // Under the registry's lock: joining the fan-out, the catch-up (snapshot or missed events)
        // and the session's start happen with no change in between, so each change is seen
        // exactly once, and a stream that fails at once is cleaned up after it was registered.
        registry.whileLocked(() -> {
            if (closing) {
                // 503 before the stream starts: the client retries (here after a restart, or
                // another registry); the response is still synchronous, so nothing holds the stop
                throw new ApiException(ErrorCode.SHUTTING_DOWN, Map.of());
            }
            stream.beginAsync();
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
                missed.get().forEach(e -> stream.offer(e, render(e)));
                stream.ping(); // something at once, so the client knows the resumed stream is live
            } else {
                snapshot[0] = registry.snapshot(services);
            }
            // after the catch-up, so a "session restored" change follows the snapshot it updates
            session.ifPresent(s -> sessions.sessionOpened(s.service(), s.id()));
        });
        if (snapshot[0] != null) {
            // rendered outside the lock (10,000 instances take a while), put ahead of any change
            // queued since: nothing is written before start()
            stream.sendFirst(SseFrames.event("SNAPSHOT", eventId(snapshot[0].index()), json(snapshot[0])));
        }
        stream.start(response);
    }

    private void onClose(WatchStream stream, Optional<Session> session) {
        ScheduledFuture<?> ticker = open.remove(stream);
        if (ticker != null) {
            ticker.cancel(false);
        }
        openCount.decrementAndGet();
        if (closing) {
            // The registry ended this stream itself (it is shutting down): that is no sign the
            // instance died. Marking every instance DOWN here would reach clients that fall back
            // to plain reads of this registry while it drains, and empty their lists.
            return;
        }
        session.ifPresent(s -> sessions.sessionClosed(s.service(), s.id()));
    }

    /** Watch streams open now (a metric). */
    public int openStreams() {
        return openCount.get();
    }
}
