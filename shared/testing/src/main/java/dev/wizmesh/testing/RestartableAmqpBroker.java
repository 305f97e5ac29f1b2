package dev.wizmesh.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.qpid.server.model.Queue;
import org.apache.qpid.server.model.VirtualHost;
import org.apache.qpid.server.model.VirtualHostNode;

/**
 * An embedded AMQP 0-9-1 broker (Apache Qpid Broker-J) of a test's own, on a fixed loopback port, that the test
 * can stop and start again: for "the broker went away and came back" tests. It is always embedded, also when
 * {@code WIZMESH_TEST_AMQP_URI} points the shared broker elsewhere, since nobody may stop that one.
 *
 * <p>The port is picked once ({@link FreePorts}) and kept across restarts, so clients with automatic recovery
 * find the broker where it was. With {@code new RestartableAmqpBroker()} its store is in memory: a restart loses
 * every queue, exchange and message, as a RabbitMQ node that lost its disk would; clients must declare their
 * topology again (the RabbitMQ client's topology recovery does).
 *
 * <p>{@link #persistent()} keeps the virtual host in a Derby database in a scratch directory of its own, kept
 * across restarts (deleted at JVM exit), as a RabbitMQ node keeps its disk: durable exchanges, queues and
 * bindings and the persistent messages in them (acked or not) are there again after {@link #stop()} and
 * {@link #start()}, like a RabbitMQ restart. Derby commits each enqueue and dequeue with a sync to disk.
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
    private final Optional<Path> store;
    private final String configuration;
    private EmbeddedQpidLauncher.Running running;

    /** A broker whose store is in memory: every restart starts empty. */
    public RestartableAmqpBroker() {
        this(Optional.empty());
    }

    private RestartableAmqpBroker(Optional<Path> store) {
        this.store = store;
        this.configuration = configurationOnPort(port, store);
    }

    /** A broker whose virtual host lives on disk (Derby): queues, bindings and persistent messages survive a restart. */
    public static RestartableAmqpBroker persistent() {
        Path directory = ScratchDirectories.create("wizmesh-qpid-store-");
        return new RestartableAmqpBroker(Optional.of(directory.resolve("default")));
    }

    /** Where a {@link #persistent()} broker keeps its virtual host (a Derby database directory), if it does. */
    public Optional<Path> store() {
        return store;
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

    /**
     * Stops the broker (an orderly shutdown): every client connection drops; everything in it is gone unless it is
     * {@link #persistent()}.
     */
    public synchronized void stop() {
        if (running != null) {
            running.launcher().shutdown();
            running = null;
        }
    }

    /**
     * How many messages {@code queue} holds now, delivered-but-unacked ones included (Qpid's queue depth), or -1 if
     * the virtual host has no such queue; for tests that check nothing is left behind. The broker must be running.
     */
    public synchronized long messageCount(String queue) {
        if (running == null) {
            throw new IllegalStateException("the broker is stopped");
        }
        for (VirtualHostNode<?> node : running.broker().getChildren(VirtualHostNode.class)) {
            VirtualHost<?> host = node.getVirtualHost();
            Queue<?> found = host == null ? null : host.getChildByName(Queue.class, queue);
            if (found != null) {
                return found.getQueueDepthMessages();
            }
        }
        return -1;
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

    private static String configurationOnPort(int port, Optional<Path> store) {
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
        if (store.isPresent()) {
            fixed = onDerby(fixed, store.get());
        }
        try {
            Path file = ScratchDirectories.create("wizmesh-qpid-config-").resolve("qpid-initial-config.json");
            Files.writeString(file, fixed);
            return file.toUri().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The same configuration with its virtual host node on Derby at {@code storePath}, holding the virtual host's
     * configuration and messages ("ProvidedStore": the node's store). On a restart the node finds its virtual host in
     * the store and the initial virtual host configuration is not used again.
     */
    private static String onDerby(String json, Path storePath) {
        try {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = (ObjectNode) mapper.readTree(json);
            ArrayNode nodes = (ArrayNode) root.get("virtualhostnodes");
            if (nodes == null || nodes.size() != 1) {
                throw new IllegalStateException("qpid-initial-config.json should have one virtual host node");
            }
            ObjectNode node = (ObjectNode) nodes.get(0);
            node.put("type", "DERBY");
            node.put("storePath", storePath.toAbsolutePath().toString());
            node.put("virtualHostInitialConfiguration", "{ \"type\": \"ProvidedStore\" }");
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
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
