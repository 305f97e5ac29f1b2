package dev.wizmesh.registry.api;

import dev.wizmesh.registry.core.RegistryEvent;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One open watch stream. Events are queued by the registry (which must never wait on a slow
 * client) and written by a shared sender pool, one drain at a time per stream, so each stream
 * sees events in index order. A stream whose queue overflows is closed: its client resumes with
 * Last-Event-ID, or from a new snapshot, instead of holding memory for ever. A write that stays
 * stuck (a peer that stopped reading) is reported to the {@link SenderPool}, which adds a thread
 * in its place.
 */
public class WatchStream {
    private final Set<String> services;
    private final SseEventSink sink;
    private final Sse sse;
    private final SenderPool sender;
    private final BlockingQueue<OutboundSseEvent> queue;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** False until the request thread has written the first events: Jersey must start the response itself. */
    private volatile boolean started;
    private final Consumer<WatchStream> onClose;

    /** When the write in progress began (0: none), and whether the pool was told it is stuck. */
    private final Object sendState = new Object();
    private long sendingSince;
    private boolean reportedStalled;

    WatchStream(Set<String> services, SseEventSink sink, Sse sse, SenderPool sender, int queueSize, Consumer<WatchStream> onClose) {
        this.services = services;
        this.sink = sink;
        this.sse = sse;
        this.sender = sender;
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.onClose = onClose;
    }

    public boolean wants(RegistryEvent event) {
        return services.isEmpty() || services.contains(event.service());
    }

    /** Queues an event already rendered once for every stream (see {@link WatchHub}). */
    public void offer(RegistryEvent event, OutboundSseEvent rendered) {
        if (wants(event)) {
            enqueue(rendered);
        }
    }

    public void sendSnapshot(Object snapshot, String eventId) {
        enqueue(sse.newEventBuilder().name("SNAPSHOT").id(eventId)
                .mediaType(MediaType.APPLICATION_JSON_TYPE).data(snapshot).build());
    }

    /** A comment line: keeps proxies from closing an idle stream, and finds out if the peer is gone. */
    public void ping() {
        enqueue(sse.newEventBuilder().comment("keepalive").build());
    }

    private void enqueue(OutboundSseEvent event) {
        if (closed.get()) {
            return;
        }
        if (!queue.offer(event)) {
            // called under the registry's lock: the (possibly blocking) close happens elsewhere
            if (closed.compareAndSet(false, true)) {
                sender.execute(this::finishClose);
            }
            return;
        }
        if (started && draining.compareAndSet(false, true)) {
            sender.execute(this::drain);
        }
    }

    /**
     * Writes what is queued (the snapshot, or the missed events) on the calling thread, the
     * request's own: the first send starts the response (JAX-RS 9.5), which must not race the
     * resource method returning on another thread. Later events go through the sender pool.
     */
    public void start() {
        started = true;
        if (draining.compareAndSet(false, true)) {
            drain();
        }
    }

    private void drain() {
        try {
            OutboundSseEvent next;
            while (!closed.get() && (next = queue.poll()) != null) {
                if (sink.isClosed()) {
                    close();
                    return;
                }
                beginSend();
                try {
                    sink.send(next).toCompletableFuture().get(10, TimeUnit.SECONDS);
                } finally {
                    endSend();
                }
            }
        } catch (Exception e) {
            // the client went away (or stalled for 10 s): this stream is over
            close();
            return;
        } finally {
            draining.set(false);
        }
        // an event queued between the last poll and clearing the flag still gets sent
        if (!queue.isEmpty() && !closed.get() && draining.compareAndSet(false, true)) {
            sender.execute(this::drain);
        }
    }

    private void beginSend() {
        synchronized (sendState) {
            sendingSince = System.nanoTime();
        }
    }

    private void endSend() {
        boolean wasReported;
        synchronized (sendState) {
            sendingSince = 0;
            wasReported = reportedStalled;
            reportedStalled = false;
        }
        if (wasReported) {
            sender.unstalled();
        }
    }

    /**
     * Called now and then from the hub's timer: a write stuck for longer than {@code thresholdNanos}
     * (a peer that stopped reading) is reported once, so the pool adds a thread in its place.
     */
    void checkStalled(long nowNanos, long thresholdNanos) {
        boolean report = false;
        synchronized (sendState) {
            if (sendingSince != 0 && !reportedStalled && nowNanos - sendingSince > thresholdNanos) {
                reportedStalled = true;
                report = true;
            }
        }
        if (report) {
            sender.stalled();
        }
    }

    public boolean isClosed() {
        return closed.get() || sink.isClosed();
    }

    public void close() {
        if (closed.compareAndSet(false, true)) {
            finishClose();
        }
    }

    private void finishClose() {
        queue.clear();
        try {
            sink.close();
        } catch (RuntimeException ignored) {
            // already broken; nothing more to tell the client
        }
        onClose.accept(this);
    }
}
