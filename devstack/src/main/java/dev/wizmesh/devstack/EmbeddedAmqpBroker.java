package dev.wizmesh.devstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.SystemLauncherListener;
import org.apache.qpid.server.model.Broker;
import org.apache.qpid.server.model.Port;
import org.apache.qpid.server.model.SystemConfig;
import org.apache.qpid.server.model.port.AmqpPort;

/**
 * An AMQP 0-9-1 broker in the devstack's own JVM: Apache Qpid Broker-J, started the way shared/testing's
 * EmbeddedQpidLauncher starts it for the tests (same artifacts, same version, the same configuration but for its
 * port), which the RabbitMQ client the services use talks to. Only features RabbitMQ and Qpid both have are used
 * (see DESIGN.md: dead-lettering is the consumer's job).
 *
 * <p>Its configuration and its one virtual host ("default", reached as "/" or "") live in memory: a restart of the
 * devstack starts with no queues, exchanges or messages, which the services' clients declare again (their
 * topology recovery). Users: guest/guest, PLAIN allowed without TLS (the RabbitMQ client offers only PLAIN). It
 * binds 127.0.0.1 only: a laptop's broker, never to be exposed.
 */
final class EmbeddedAmqpBroker implements AmqpService {

    static final String HOST = "127.0.0.1";
    /** Substituted by Qpid into qpid-initial-config.json's port. */
    private static final String PORT_VARIABLE = "wizmesh.devstack.amqp_port";

    private final SystemLauncher launcher;
    private final int port;

    private EmbeddedAmqpBroker(SystemLauncher launcher, int port) {
        this.launcher = launcher;
        this.port = port;
    }

    /** Starts the broker on {@code port} (0: one the OS picks) with its work directory in {@code workDirectory}. */
    static EmbeddedAmqpBroker start(Path workDirectory, int port) {
        if (port != 0) {
            requireFreePort(port);
        }
        Progress.say("starting the embedded AMQP 0-9-1 broker (Apache Qpid Broker-J) on " + HOST + ":"
                + (port == 0 ? "a free port" : port) + " ...");
        long started = System.nanoTime();
        StartupListener listener = new StartupListener();
        SystemLauncher launcher = new SystemLauncher(listener);
        try {
            Files.createDirectories(workDirectory);
            launcher.startup(Map.of(
                    SystemConfig.TYPE, "Memory",
                    SystemConfig.INITIAL_CONFIGURATION_LOCATION, resource("qpid-initial-config.json"),
                    SystemConfig.INITIAL_SYSTEM_PROPERTIES_LOCATION, resource("qpid-system.properties"),
                    // Qpid prints its start-up banner straight to System.out unless told not to
                    SystemConfig.STARTUP_LOGGED_TO_SYSTEM_OUT, false,
                    SystemConfig.CONTEXT, Map.of(
                            PORT_VARIABLE, String.valueOf(port),
                            SystemConfig.PROPERTY_QPID_WORK, workDirectory.toString(),
                            SystemConfig.QPID_WORK_DIR, workDirectory.toString())));
        } catch (Exception e) {
            launcher.shutdown();
            throw new DevStackException("the embedded AMQP broker did not start: " + e.getMessage(), e);
        }
        // SystemLauncher reports a failed start to the listener instead of throwing
        if (listener.error != null || listener.systemConfig == null) {
            launcher.shutdown();
            throw new DevStackException("the embedded AMQP broker did not start"
                    + (listener.error == null ? "" : ": " + listener.error.getMessage()), listener.error);
        }
        int bound = boundPort(listener.systemConfig.getContainer(Broker.class));
        EmbeddedAmqpBroker broker = new EmbeddedAmqpBroker(launcher, bound);
        Progress.say("AMQP broker accepts connections on " + HOST + ":" + bound + " (user guest, password guest,"
                + " virtual host /) after " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
        return broker;
    }

    @Override
    public String uri() {
        // %2F: the virtual host "/" spelled out, as the services' default URI does
        return "amqp://guest:guest@" + HOST + ":" + port + "/%2F";
    }

    int port() {
        return port;
    }

    /** Closes every client connection and the port; everything in the broker is gone (memory stores). */
    @Override
    public void close() {
        Progress.say("stopping the AMQP broker ...");
        launcher.shutdown();
        Progress.say("AMQP broker stopped");
    }

    private static int boundPort(Broker<?> broker) {
        return broker.getChildren(Port.class).stream()
                .filter(AmqpPort.class::isInstance)
                .mapToInt(port -> ((AmqpPort<?>) port).getBoundPort())
                .filter(port -> port > 0)
                .findFirst()
                .orElseThrow(() -> new DevStackException("the embedded AMQP broker has no bound AMQP port"));
    }

    private static String resource(String name) {
        URL url = EmbeddedAmqpBroker.class.getResource(name);
        if (url == null) {
            throw new DevStackException("missing resource " + name + " beside " + EmbeddedAmqpBroker.class);
        }
        return url.toExternalForm();
    }

    /** A clear message instead of Qpid's bind failure when something else has the port. */
    private static void requireFreePort(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new DevStackException("port " + port + " is in use (another devstack, or a RabbitMQ of yours?);"
                    + " stop it, or choose another port with DEVSTACK_AMQP_PORT (0: any free port)");
        }
    }

    private static final class StartupListener extends SystemLauncherListener.DefaultSystemLauncherListener {

        private volatile SystemConfig<?> systemConfig;
        private volatile RuntimeException error;

        @Override
        public void onContainerResolve(SystemConfig<?> resolved) {
            systemConfig = resolved;
        }

        @Override
        public void errorOnStartup(RuntimeException e) {
            error = e;
        }
    }
}
