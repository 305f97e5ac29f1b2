package dev.wizmesh.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Redis as the devstack provides it: an embedded redis-server it started ({@link EmbeddedRedisService}) or a real
 * one it was given ({@link ExternalRedis}). Either way the apps get one variable, {@code REDIS_URL}
 * ({@code redis://host:port}), which their YAML reads (the gateway's rate limits, with {@code RATE_LIMIT_BACKEND=redis}).
 */
interface RedisService extends AutoCloseable {

    /** {@code redis://[user:password@]host:port[/db]}. */
    String url();

    /** Stops what this service started; nothing for a server it was given. */
    @Override
    void close();

    default Map<String, String> environment() {
        return Map.of("REDIS_URL", url());
    }

    /** The URL without its credentials, for progress lines and logs. */
    static String redacted(String url) {
        return url.replaceFirst("//[^@/]*@", "//***@");
    }

    /**
     * Sends commands in RESP over a plain socket and returns the first line of each answer (e.g. {@code +PONG},
     * {@code +OK}, {@code -NOAUTH ...}): enough to check a server without a client library.
     */
    static List<String> send(String host, int port, List<List<String>> commands) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            StringBuilder request = new StringBuilder();
            for (List<String> command : commands) {
                request.append('*').append(command.size()).append("\r\n");
                for (String word : command) {
                    request.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
                            .append(word).append("\r\n");
                }
            }
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            List<String> answers = new java.util.ArrayList<>();
            for (int i = 0; i < commands.size(); i++) {
                answers.add(readLine(in));
            }
            return answers;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        if (c == -1 && line.isEmpty()) {
            throw new IOException("the server closed the connection");
        }
        return line.toString();
    }
}
