package dev.wizmesh.registry.api;

import dev.wizmesh.registry.core.RegistryEvent;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One open watch stream: an asynchronous servlet response written without blocking (Servlet 6
 * {@link WriteListener}). Events arrive already rendered to bytes ({@link SseFrames}, once per
 * change for every stream) and are queued, since the registry must never wait on a client. One
 * drain at a time per stream, on a shared sender thread or on Jetty's when the socket becomes
 * writable again, writes everything queued and then flushes once: a burst of events is one
 * write to the socket, and each stream sees events in index order.
 *
 * <p>A peer that stops reading never holds a thread: the write stays pending in Jetty and this
 * stream simply stops draining, while its queue fills. A stream whose queue overflows is closed
 * (its client resumes with Last-Event-ID, or from a new snapshot, instead of holding memory for
 * ever); a write that fails (the peer is gone) or Jetty's idle timeout on a stuck one ends it too.
 */
public class WatchStream implements WriteListener, AsyncListener {
    private final Set<String> services;
    private final HttpServletRequest request;
    private final Executor sender;
    private final BlockingDeque<byte[]> queue;
    private final Consumer<WatchStream> onClose;
    /** Held by whoever writes now: the request thread until {@link #start()}, then one drain at a time. */
    private final AtomicBoolean draining = new AtomicBoolean(true);
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile AsyncContext async; // set in beginAsync()
    private volatile ServletOutputStream out; // set in start(), before any drain
    private boolean unflushed; // only touched by the drain in progress

    WatchStream(Set<String> services, HttpServletRequest request, Executor sender, int queueSize, Consumer<WatchStream> onClose) {
        this.services = services;
        this.request = request;
        this.sender = sender;
        this.queue = new LinkedBlockingDeque<>(queueSize);
        this.onClose = onClose;
    }

    public boolean wants(RegistryEvent event) {
        return services.isEmpty() || services.contains(event.service());
    }

    /** Queues an event already rendered once for every stream (see {@link WatchHub}). */
    public void offer(RegistryEvent event, byte[] frame) {
        if (wants(event)) {
            enqueue(frame);
        }
    }

    /**
     * This stream's snapshot, ahead of whatever changes were queued since it was taken (they
     * follow it in index order). Before {@link #start}: nothing has been written yet.
     */
    void sendFirst(byte[] frame) {
        if (!queue.offerFirst(frame)) {
            close();
        }
    }

    /**
     * Makes the request asynchronous, on its own thread (the response stays open when the
     * servlet returns); a stream ends with {@link AsyncContext#complete()}.
     */
    void beginAsync() {
        AsyncContext started = request.startAsync();
        started.setTimeout(0); // open until either side ends it
        async = started;
    }

    /** A comment line: keeps proxies from closing an idle stream, and finds out if the peer is gone. */
    public void ping() {
        enqueue(SseFrames.KEEPALIVE);
    }

    private void enqueue(byte[] frame) {
        if (closed.get()) {
            return;
        }
        if (!queue.offer(frame)) {
            // called under the registry's lock: the close happens elsewhere
            if (closed.compareAndSet(false, true)) {
                sender.execute(this::finishClose);
            }
            return;
        }
        if (draining.compareAndSet(false, true)) {
            sender.execute(this::drain);
        }
    }

    /**
     * Starts the response on the request's own thread (status and headers; nothing is written
     * yet) and hands the stream to Jetty, which calls {@link #onWritePossible()} as soon as it
     * can take the first bytes: what was queued so far (the snapshot, or the missed events).
     */
    void start(HttpServletResponse response) {
        if (closed.get()) {
            return; // overflowed already (a resume with more missed events than the queue holds)
        }
        try {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType("text/event-stream");
            response.setHeader("Cache-Control", "no-cache");
            async.addListener(this);
            out = response.getOutputStream();
            out.setWriteListener(this);
        } catch (IOException | RuntimeException e) {
            close(); // completed meanwhile, or the connection is already gone
        }
    }

    @Override
    public void onWritePossible() {
        drain();
    }

    /**
     * Writes what is queued while Jetty takes it without blocking, then flushes once. When Jetty
     * cannot take more ({@code isReady()} false) the drain ends still holding {@link #draining}:
     * Jetty calls {@link #onWritePossible()} once the socket is writable, and that carries on.
     */
    private void drain() {
        try {
            while (!closed.get()) {
                if (!out.isReady()) {
                    return; // onWritePossible() continues this drain
                }
                byte[] next = queue.poll();
                if (next != null) {
                    out.write(next);
                    unflushed = true;
                } else if (unflushed) {
                    unflushed = false;
                    out.flush(); // once per batch
                } else {
                    draining.set(false);
                    // a frame queued between the last poll and clearing the flag still gets sent
                    if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
                        return;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            close(); // the client went away
        }
    }

    @Override
    public void onError(Throwable failure) {
        close(); // a write failed: the peer is gone (or stopped reading until the idle timeout)
    }

    @Override
    public void onComplete(AsyncEvent event) {
        close();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        close();
    }

    @Override
    public void onError(AsyncEvent event) {
        close();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }

    public boolean isClosed() {
        return closed.get();
    }

    public void close() {
        if (closed.compareAndSet(false, true)) {
            finishClose();
        }
    }

    private void finishClose() {
        queue.clear();
        try {
            if (async != null) {
                async.complete();
            }
        } catch (RuntimeException ignored) {
            // already completed or broken; nothing more to tell the client
        }
        onClose.accept(this);
    }
}
