package dev.wizmesh.cron;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny real HTTP service for jobs to call: {@code /ok} answers 200, {@code /fail} 500; it keeps
 * every request's path and the headers a job sends (tenant, idempotency key), so a test can see
 * what each fire did on the far side.
 */
final class EchoService implements AutoCloseable {
    record Call(String path, String tenant, String idempotencyKey, String job) {
    }

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    EchoService() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            calls.add(new Call(path, exchange.getRequestHeaders().getFirst("X-Tenant-ID"),
                    exchange.getRequestHeaders().getFirst("Idempotency-Key"), exchange.getRequestHeaders().getFirst("X-Cron-Job")));
            exchange.getRequestBody().readAllBytes();
            int status = path.startsWith("/fail") ? 500 : 200;
            byte[] body = (status == 200 ? "{\"ok\":true}" : "{\"error\":{\"code\":\"INTERNAL\"}}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    List<Call> callsFor(String job) {
        return calls.stream().filter(c -> job.equals(c.job())).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
