package dev.wizmesh.gateway.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real upstream on a loopback port (the JDK's HTTP server): echoes what it received, streams
 * bodies in and out, sleeps on request, and leaks a Server header the gateway must hide.
 */
final class EchoUpstream implements AutoCloseable {
    /** What one request looked like on arrival. */
    record Seen(String method, String uri, Map<String, List<String>> headers) {
        List<String> all(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).toList();
        }
    }

    final String name;
    final HttpServer server;
    final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
    final AtomicInteger requests = new AtomicInteger();
    /** Bytes received so far by /upload; the latch trips at 1 MiB. */
    final AtomicLong uploaded = new AtomicLong();
    volatile CountDownLatch uploadStarted = new CountDownLatch(1);
    /** /download writes 1 MiB, then waits for this before the rest. */
    volatile CountDownLatch downloadMayContinue = new CountDownLatch(1);
    /** True when the client released /download before the upstream gave up waiting: it saw bytes mid-stream. */
    volatile boolean downloadReleasedMidStream;

    EchoUpstream(String name) throws IOException {
        this.name = name;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String address() {
        return "127.0.0.1:" + port();
    }

    Seen last() {
        Seen s = null;
        for (Seen each : seen) {
            s = each;
        }
        return s;
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String path = exchange.getRequestURI().getPath();
        seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(), Map.copyOf(exchange.getRequestHeaders())));
        exchange.getResponseHeaders().add("Server", "SecretServer/1.0");
        exchange.getResponseHeaders().add("X-Powered-By", "Secrets");
        exchange.getResponseHeaders().add("X-Upstream", name);
        try (exchange) {
            if (path.endsWith("/upload")) {
                long total = 0;
                byte[] buffer = new byte[64 * 1024];
                try (InputStream in = exchange.getRequestBody()) {
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        total += n;
                        uploaded.set(total);
                        if (total >= 1 << 20) {
                            uploadStarted.countDown();
                        }
                    }
                }
                send(exchange, 200, Long.toString(total));
            } else if (path.endsWith("/download")) {
                long size = Long.parseLong(exchange.getRequestURI().getQuery().replace("size=", ""));
                exchange.sendResponseHeaders(200, 0);   // chunked
                byte[] block = new byte[64 * 1024];
                try (OutputStream out = exchange.getResponseBody()) {
                    for (long sent = 0; sent < size; sent += block.length) {
                        out.write(block, 0, (int) Math.min(block.length, size - sent));
                        if (sent == 1 << 20) {
                            out.flush();
                            downloadReleasedMidStream = awaitQuietly(downloadMayContinue);
                        }
                    }
                }
            } else if (path.endsWith("/slow")) {
                sleepQuietly(3000);
                send(exchange, 200, "late");
            } else if (path.endsWith("/gzipped")) {
                java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
                try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(zipped)) {
                    gzip.write("compressed by the upstream".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                exchange.getResponseHeaders().add("Content-Encoding", "gzip");
                exchange.sendResponseHeaders(200, zipped.size());
                exchange.getResponseBody().write(zipped.toByteArray());
            } else if (path.endsWith("/status")) {
                // any status the query names, with no extra headers (a 401 without WWW-Authenticate, a 407, ...)
                send(exchange, Integer.parseInt(exchange.getRequestURI().getQuery().replace("code=", "")), "as asked");
            } else if (path.endsWith("/fail")) {
                send(exchange, 500, "java.lang.IllegalStateException: at com.secret.Thing");
            } else {
                exchange.getRequestBody().readAllBytes();
                send(exchange, 200, name + " " + exchange.getRequestMethod() + " " + exchange.getRequestURI());
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
