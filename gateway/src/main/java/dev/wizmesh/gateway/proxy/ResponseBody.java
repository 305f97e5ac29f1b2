package dev.wizmesh.gateway.proxy;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.eclipse.jetty.io.Content;

/**
 * The upstream's response body, streamed to the client as it arrives: a chunk is read from the
 * upstream only when the client's connection can take more ({@link ServletOutputStream#isReady()}),
 * and the upstream is asked for more ({@link Content.Source#demand}) only when a read found
 * nothing. A slow client therefore slows the upstream down (TCP back-pressure) instead of
 * filling the gateway's heap: a 200 MB download passes in constant memory.
 */
final class ResponseBody implements WriteListener {
    private final ServletOutputStream output;
    private final Content.Source source;
    private final Runnable done;
    private final Consumer<Throwable> failed;
    private boolean finishing;

    /**
     * @param done   called once the last byte has been handed to the client's connection
     * @param failed called when the upstream or the client fails mid-body
     */
    ResponseBody(ServletOutputStream output, Content.Source source, Runnable done, Consumer<Throwable> failed) {
        this.output = output;
        this.source = source;
        this.done = done;
        this.failed = failed;
    }

    /** Starts pumping: the container calls {@link #onWritePossible()} once the output is ready. */
    void start() {
        output.setWriteListener(this);
    }

    @Override
    public void onWritePossible() {
        pump();
    }

    private void pump() {
        try {
            while (output.isReady()) {   // false arms onWritePossible
                if (finishing) {
                    done.run();
                    return;
                }
                Content.Chunk chunk = source.read();
                if (chunk == null) {
                    source.demand(this::pump);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    failed.accept(chunk.getFailure());
                    return;
                }
                ByteBuffer buffer = chunk.getByteBuffer();
                if (buffer.hasRemaining()) {
                    byte[] bytes = new byte[buffer.remaining()];
                    buffer.get(bytes);
                    output.write(bytes);
                }
                boolean last = chunk.isLast();
                chunk.release();
                if (last) {
                    finishing = true;   // complete once this last write has gone out
                }
            }
        } catch (IOException | RuntimeException e) {
            source.fail(e);
            failed.accept(e);
        }
    }

    @Override
    public void onError(Throwable t) {
        source.fail(t);
        failed.accept(t);
    }
}
