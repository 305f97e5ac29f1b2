package dev.wizmesh.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An embedded AMQP 0-9-1 broker (Apache Qpid Broker-J) of a test's own, on a fixed loopback port, that the test
 * can stop and start again: for "the broker went away and came back" tests. It is always embedded, also when
 * {@code WIZMESH_TEST_AMQP_URI} points the shared broker elsewhere, since nobody may stop that one.
 *
 * <p>The port is picked once ({@link FreePorts}) and kept across restarts, so clients with automatic recovery
 * find the broker where it was. Its store is in memory: a restart loses every queue, exchange and message, as a
 * RabbitMQ node that lost its disk would; clients must declare their topology again (the RabbitMQ client's
 * topology recovery does).
 *
 * <pre>{@code
 * try (RestartableAmqpBroker broker = new RestartableAmqpBroker()) {
 *     broker.start();
 *     ... broker.info().uri() ...
 *     broker.stop();   // connections drop
 *     broker.start();  // same port, empty
 * }
 * }</pre>
 */
public final class RestartableAmqpBroker implements AutoCloseable {
    private final int port = FreePorts.next();
    private final String configuration;
    private EmbeddedQpidLauncher.Running running;

    public RestartableAmqpBroker() {
        this.configuration = configurationOnPort(port);
    }

    /** Starts the broker on its port; a no-op when it runs. Retries a few times while the old socket lingers. */
    public synchronized RestartableAmqpBroker start() {
        if (running == null) {
            IllegalStateException last = null;
            for (int attempt = 0; attempt < 20 && running == null; attempt++) {
                try {
                    running = EmbeddedQpidLauncher.launch(configuration);
                } catch (IllegalStateException e) {
                    last = e; // e.g. the port still held by the previous run for a moment
                    sleep(250);
                }
            }
            if (running == null) {
                throw new IllegalStateException("embedded Qpid broker did not start on port " + port, last);
            }
        }
        return this;
    }

    /** Stops the broker: every client connection drops, and everything in it is gone. */
    public synchronized void stop() {
        if (running != null) {
            running.launcher().shutdown();
            running = null;
        }
    }

    public synchronized boolean isRunning() {
        return running != null;
    }

    /** Where the broker is (also while it is stopped: the port stays the same). */
    public AmqpBrokerInfo info() {
        return AmqpBrokerInfo.of("127.0.0.1", port, "guest", "guest", "/");
    }

    @Override
    public void close() {
        stop();
    }

    private static String configurationOnPort(int port) {
        String json;
        try (InputStream in = EmbeddedQpidLauncher.class.getResourceAsStream("qpid-initial-config.json")) {
            if (in == null) {
                throw new IllegalStateException("missing resource qpid-initial-config.json");
            }
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String fixed = json.replace("\"port\": 0,", "\"port\": " + port + ",");
        if (fixed.equals(json)) {
            throw new IllegalStateException("qpid-initial-config.json no longer has \"port\": 0 to replace");
        }
        try {
            Path file = ScratchDirectories.create("wizmesh-qpid-config-").resolve("qpid-initial-config.json");
            Files.writeString(file, fixed);
            return file.toUri().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the broker", e);
        }
    }
}
