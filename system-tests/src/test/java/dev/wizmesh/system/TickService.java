package dev.wizmesh.system;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The far side of a cron job in the cluster test: a real HTTP service that records every call's
 * {@code Idempotency-Key} (the fire id), so the test can count how often each fire had its effect.
 * {@link #holdNext()} makes it keep the next call waiting, so the test can kill the node that made
 * it in the middle of its run.
 */
final class TickService implements AutoCloseable {
    record Call(String fireId, Instant at) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicReference<CountDownLatch> hold = new AtomicReference<>();
    private final AtomicReference<String> held = new AtomicReference<>();

    TickService() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            String fireId = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            calls.add(new Call(fireId, Instant.now()));
            exchange.getRequestBody().readAllBytes();
            CountDownLatch latch = hold.getAndSet(null);
            if (latch != null) {
                held.set(fireId);
                try {
                    latch.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = "{\"ticked\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            try {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (IOException callerGone) {
                // the node that called was killed while we held its call
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

    /** The next call waits until {@code release} counts down; returns the latch. */
    CountDownLatch holdNext() {
        CountDownLatch release = new CountDownLatch(1);
        held.set(null);
        hold.set(release);
        return release;
    }

    /** The fire id of the call being held, once one is. */
    String awaitHeld(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (held.get() == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return held.get();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
