package dev.wizmesh.gateway.proxy;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.io.Content;

/**
 * The client's request body, streamed to the upstream as it arrives: Jetty's HttpClient pulls
 * chunks ({@link Content.Source#read()}) and asks to be called back when there are more
 * ({@link Content.Source#demand}), which maps onto the servlet's non-blocking input
 * ({@link ServletInputStream#isReady()}, {@link ReadListener#onDataAvailable()}). Nothing is
 * read from the client faster than the upstream takes it, so a 100 MB upload passes through
 * 16 KB at a time, in constant memory.
 *
 * <p>Two extra duties:
 * <ul>
 *   <li>it counts bytes, and fails the upload once they exceed the route's limit (413);</li>
 *   <li>it keeps the first {@value #REPLAY_LIMIT} bytes it read, so that an attempt that failed
 *       before the upstream answered (a stale pooled connection) can be sent again with the same
 *       body: {@link #newAttempt()} gives a fresh source that replays them and then continues
 *       from the client. Bodies larger than that are not replayable, and such a request is never
 *       retried once reading began.</li>
 * </ul>
 */
final class RequestBody implements ReadListener {
    static final int REPLAY_LIMIT = 64 * 1024;
    private static final int CHUNK = 16 * 1024;

    private final ServletInputStream input;
    private final long declaredLength;
    private final long limit;
    private final AtomicReference<Runnable> demand = new AtomicReference<>();
    private final List<byte[]> replay = new ArrayList<>();
    private long replayBytes;
    private boolean replayable = true;
    private long total;
    private volatile boolean eof;
    private volatile Throwable failure;
    private Attempt current;

    /** Thrown into the upstream request when the body goes over the route's limit. */
    static final class TooLarge extends IOException {
        TooLarge(long limit) {
            super("request body over " + limit + " bytes");
        }
    }

    /**
     * @param declaredLength the client's Content-Length, or -1 for a chunked body
     * @param limit          the route's maxBodySize
     */
    RequestBody(ServletInputStream input, long declaredLength, long limit) {
        this.input = input;
        this.declaredLength = declaredLength;
        this.limit = limit;
        input.setReadListener(this);
    }

    /** A source for the next attempt; the previous one is cut off. */
    synchronized Request.Content newAttempt() {
        if (current != null) {
            current.fail(new IOException("superseded by a retry"));
        }
        current = new Attempt();
        return current;
    }

    /** True when a new attempt would send the same bytes: nothing read yet, or all of it kept. */
    synchronized boolean replayable() {
        return replayable && failure == null;
    }

    boolean tooLarge() {
        return failure instanceof TooLarge;
    }

    // --- the servlet's side: data has arrived; run whoever is waiting for it

    @Override
    public void onDataAvailable() {
        wake();
    }

    @Override
    public void onAllDataRead() {
        eof = true;
        wake();
    }

    @Override
    public void onError(Throwable t) {
        failure = t;
        wake();
    }

    private void wake() {
        Runnable waiting = demand.getAndSet(null);
        if (waiting != null) {
            waiting.run();
        }
    }

    /** Reads what the client has sent so far, without blocking; null when nothing is ready. */
    private synchronized Content.Chunk readClient(Attempt reader) {
        if (failure != null) {
            return Content.Chunk.from(failure, true);
        }
        if (eof) {
            return Content.Chunk.EOF;
        }
        try {
            while (input.isReady()) {   // false arms onDataAvailable
                byte[] buffer = new byte[CHUNK];
                int n = input.read(buffer);
                if (n < 0) {
                    eof = true;
                    return Content.Chunk.EOF;
                }
                if (n == 0) {
                    continue;
                }
                total += n;
                if (total > limit) {
                    failure = new TooLarge(limit);
                    return Content.Chunk.from(failure, true);
                }
                byte[] data = n == buffer.length ? buffer : Arrays.copyOf(buffer, n);
                if (replayable) {
                    if (replayBytes + n <= REPLAY_LIMIT) {
                        replay.add(data);
                        replayBytes += n;
                        reader.replayed = replay.size();
                    } else {
                        replayable = false;
                        replay.clear();
                    }
                }
                boolean last = input.isFinished();
                eof |= last;
                return Content.Chunk.from(ByteBuffer.wrap(data), last);
            }
            if (input.isFinished()) {
                eof = true;
                return Content.Chunk.EOF;
            }
            return null;
        } catch (IOException e) {
            failure = e;
            return Content.Chunk.from(e, true);
        }
    }

    /**
     * One attempt's view: the kept bytes first, then the live input. When the upstream request
     * is aborted (the connection was reset, a timeout, a retry superseding it), Jetty calls
     * {@link #fail}; as the {@link Content.Source} contract asks, a pending demand then runs, so
     * the sender reads the failure instead of waiting for client bytes that may never come.
     */
    private final class Attempt implements Request.Content {
        private final AtomicReference<Runnable> waiting = new AtomicReference<>();
        private volatile Throwable failed;
        int replayed;

        @Override
        public long getLength() {
            return declaredLength;
        }

        @Override
        public Content.Chunk read() {
            Throwable f = failed;
            if (f != null) {
                return Content.Chunk.from(f, true);
            }
            synchronized (RequestBody.this) {
                if (replayable && replayed < replay.size()) {
                    byte[] kept = replay.get(replayed++);
                    return Content.Chunk.from(ByteBuffer.wrap(kept), false);
                }
            }
            return readClient(this);
        }

        @Override
        public void demand(Runnable callback) {
            waiting.set(callback);
            boolean now;
            synchronized (RequestBody.this) {
                now = failed != null || (replayable && replayed < replay.size()) || eof || failure != null;
            }
            if (now) {
                runWaiting();
                return;
            }
            demand.set(this::runWaiting);
            // data may have arrived between the failed read and now: isReady() either says so, or arms the listener
            if (input.isReady() || input.isFinished()) {
                wake();
            }
        }

        /** Runs the pending demand callback once, whoever gets here first: new client bytes or a failure. */
        private void runWaiting() {
            Runnable callback = waiting.getAndSet(null);
            if (callback != null) {
                callback.run();
            }
        }

        @Override
        public void fail(Throwable cause) {
            // only this attempt fails: the client's input stays as it is, for a retry or the error answer
            if (failed == null) {
                failed = cause;
            }
            runWaiting();
        }

        @Override
        public boolean rewind() {
            return false;
        }
    }
}
