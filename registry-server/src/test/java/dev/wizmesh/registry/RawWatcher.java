package dev.wizmesh.registry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A watch stream on a plain socket: cheap enough to open hundreds. Either read line by line on
 * its own thread ({@link #reading}), or never read at all ({@link #stalled}): a client that
 * stopped reading, with a receive buffer as small as the kernel allows. The lines are the raw
 * response (status line, headers, chunk sizes, SSE lines); the connection closes when the stream ends.
 */
final class RawWatcher implements AutoCloseable {
    private final Socket socket = new Socket();
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private RawWatcher(int port, String pathAndQuery, boolean read) throws IOException {
        this(port, pathAndQuery, read, null);
    }

    private RawWatcher(int port, String pathAndQuery, boolean read, String authorization) throws IOException {
        if (!read) {
            socket.setReceiveBufferSize(1024); // before connecting: the window stays small
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: registry\r\nAccept: text/event-stream\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Connection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        if (read) {
            Thread reader = new Thread(this::readLines, "raw-watcher");
            reader.setDaemon(true);
            reader.start();
        }
    }

    static RawWatcher reading(int port, String pathAndQuery) throws IOException {
        return new RawWatcher(port, pathAndQuery, true);
    }

    /** A session stream: the watch of the instance named by {@code ?session=service/id}, which needs the token. */
    static RawWatcher session(int port, String pathAndQuery, String token) throws IOException {
        return new RawWatcher(port, pathAndQuery, true, "Bearer " + token);
    }

    static RawWatcher stalled(int port, String pathAndQuery) throws IOException {
        return new RawWatcher(port, pathAndQuery, false);
    }

    private void readLines() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
            lines.add("<end of stream>");
        } catch (IOException e) {
            lines.add("<end of stream>");
        }
    }

    /** Waits for a line containing {@code text}, skipping others; the line, or null if none came. */
    String awaitLine(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            String line = lines.poll(left, TimeUnit.NANOSECONDS);
            if (line != null && line.contains(text)) {
                return line;
            }
        }
        return null;
    }

    /** Waits for the SNAPSHOT event and its data line; true when it came. */
    boolean awaitSnapshot(Duration timeout) throws InterruptedException {
        return awaitLine("event: SNAPSHOT", timeout) != null && awaitLine("data: ", timeout) != null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
