package dev.wizmesh.gateway.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream that makes the stale-connection race happen on purpose. Each connection answers
 * its first request with a keep-alive 200, then:
 * <ul>
 *   <li>{@code closeOnSecondRequest}: reads the next request and closes without a byte of
 *       answer, as an upstream does when its idle timeout fires just as a request arrives;</li>
 *   <li>otherwise: closes the connection after {@code idleMillis} without a request, a keep-alive
 *       timeout far shorter than the gateway's pool idle timeout.</li>
 * </ul>
 */
final class KeepAliveTrapUpstream implements AutoCloseable {
    private final ServerSocket server;
    private final boolean closeOnSecondRequest;
    private final int idleMillis;
    final AtomicInteger answered = new AtomicInteger();
    final AtomicInteger dropped = new AtomicInteger();

    KeepAliveTrapUpstream(boolean closeOnSecondRequest, int idleMillis) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.closeOnSecondRequest = closeOnSecondRequest;
        this.idleMillis = idleMillis;
        Thread acceptor = new Thread(this::accept, "keep-alive-trap");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread handler = new Thread(() -> serve(socket), "keep-alive-trap-conn");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            readHead(in);
            byte[] body = "fresh".getBytes(StandardCharsets.US_ASCII);
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\nConnection: keep-alive\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            answered.incrementAndGet();
            if (closeOnSecondRequest) {
                readHead(in);
                dropped.incrementAndGet();
            } else {
                socket.setSoTimeout(idleMillis);
                try {
                    readHead(in);
                } catch (SocketTimeoutException idle) {
                    dropped.incrementAndGet();
                }
            }
        } catch (IOException ignored) {
            // the gateway closed first: fine
        }
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed");
            }
            matched = (c == '\r' && (matched == 0 || matched == 2)) || (c == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
