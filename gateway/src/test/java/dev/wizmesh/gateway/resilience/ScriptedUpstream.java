package dev.wizmesh.gateway.resilience;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** An upstream on loopback that answers every request with the status the test sets, and counts. */
final class ScriptedUpstream implements AutoCloseable {
    final AtomicInteger status = new AtomicInteger(200);
    final AtomicInteger gets = new AtomicInteger();
    final AtomicInteger posts = new AtomicInteger();
    private final HttpServer server;
    private final String name;

    ScriptedUpstream(String name) throws IOException {
        this.name = name;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                body.readAllBytes();
            }
            (exchange.getRequestMethod().equals("POST") ? posts : gets).incrementAndGet();
            byte[] answer = (name + " " + status.get()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    @Override
    public String toString() {
        return name;
    }
}
