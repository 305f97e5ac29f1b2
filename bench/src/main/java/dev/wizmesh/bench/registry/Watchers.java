package dev.wizmesh.bench.registry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * N watch streams read by one selector thread on raw sockets: no thread per stream, and no
 * HTTP client library between the socket and the clock. Each read is stamped when the selector
 * hands it over, before any parsing, so what is measured is the server's delivery, not this
 * reader's work (Java's HttpClient, used before, parsed 1,000 streams' lines through reactive
 * subscribers on the same two cores the server uses, and its queueing showed up as delay).
 * Each {@code data:} line is handed to a callback with the time its bytes arrived.
 */
final class Watchers implements AutoCloseable {
    private final Selector selector = Selector.open();
    private final List<SocketChannel> channels = new ArrayList<>();
    private final Thread reader;
    private volatile boolean running = true;

    Watchers(URI watchUri, int count, BiConsumer<String, Long> onData) throws IOException, InterruptedException {
        CountDownLatch snapshots = new CountDownLatch(count);
        String path = watchUri.getRawPath() + (watchUri.getRawQuery() == null ? "" : "?" + watchUri.getRawQuery());
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + watchUri.getHost() + "\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < count; i++) {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress(watchUri.getHost(), watchUri.getPort()));
            channel.write(ByteBuffer.wrap(request));
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, new Stream(snapshots, onData));
            channels.add(channel);
        }
        reader = new Thread(this::readLoop, "watchers-reader");
        reader.setDaemon(true);
        reader.start();
        if (!snapshots.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + (count - snapshots.getCount()) + " of " + count + " watchers connected");
        }
    }

    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        byte[] bytes = new byte[64 * 1024];
        try {
            while (running) {
                if (selector.select(200) == 0) {
                    continue;
                }
                long now = System.nanoTime(); // stamped before any parsing
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel channel = (SocketChannel) key.channel();
                    Stream stream = (Stream) key.attachment();
                    int n;
                    while ((n = channel.read(buffer.clear())) > 0) {
                        buffer.flip().get(bytes, 0, n);
                        stream.feed(bytes, n, now);
                    }
                    if (n < 0) {
                        key.cancel();
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            if (running) {
                e.printStackTrace();
            }
        }
    }

    /** One stream's HTTP/1.1 response: head, then a chunked body of SSE lines. */
    private static final class Stream {
        private final CountDownLatch snapshots;
        private final BiConsumer<String, Long> onData;
        private final StringBuilder line = new StringBuilder();
        private boolean inHead = true;
        private boolean chunked;
        private long chunkLeft = -1; // -1: reading a chunk-size line
        private final StringBuilder sizeLine = new StringBuilder();
        private int skipCrLf;
        private boolean sawSnapshot;

        Stream(CountDownLatch snapshots, BiConsumer<String, Long> onData) {
            this.snapshots = snapshots;
            this.onData = onData;
        }

        void feed(byte[] bytes, int n, long at) {
            for (int i = 0; i < n; i++) {
                char c = (char) (bytes[i] & 0xff);
                if (inHead) {
                    headByte(c);
                } else if (!chunked) {
                    bodyByte(c, at);
                } else if (skipCrLf > 0) {
                    skipCrLf--;
                } else if (chunkLeft < 0) {
                    if (c == '\n') {
                        String size = sizeLine.toString().trim();
                        int semi = size.indexOf(';');
                        chunkLeft = Long.parseLong(semi < 0 ? size : size.substring(0, semi), 16);
                        sizeLine.setLength(0);
                        if (chunkLeft == 0) {
                            chunkLeft = -1; // end of the body: the stream is over
                        }
                    } else if (c != '\r') {
                        sizeLine.append(c);
                    }
                } else {
                    bodyByte(c, at);
                    if (--chunkLeft == 0) {
                        chunkLeft = -1;
                        skipCrLf = 2;
                    }
                }
            }
        }

        private void headByte(char c) {
            if (c != '\n') {
                if (c != '\r') {
                    line.append(c);
                }
                return;
            }
            if (line.length() == 0) {
                inHead = false;
            } else if (line.toString().toLowerCase().startsWith("transfer-encoding:") && line.toString().toLowerCase().contains("chunked")) {
                chunked = true;
            }
            line.setLength(0);
        }

        private void bodyByte(char c, long at) {
            if (c != '\n') {
                if (c != '\r') {
                    line.append(c); // SSE data here is ASCII JSON: no multi-byte characters to decode
                }
                return;
            }
            String complete = line.toString();
            line.setLength(0);
            if (complete.startsWith("event: SNAPSHOT") || complete.startsWith("event:SNAPSHOT")) {
                if (!sawSnapshot) {
                    sawSnapshot = true;
                    snapshots.countDown();
                }
            } else if (complete.startsWith("data:")) {
                onData.accept(complete, at);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            reader.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SocketChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
