package dev.wizmesh.testing;

import java.net.URL;
import java.nio.file.Path;
import java.util.Map;
import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.SystemLauncherListener;
import org.apache.qpid.server.model.Broker;
import org.apache.qpid.server.model.Port;
import org.apache.qpid.server.model.SystemConfig;
import org.apache.qpid.server.model.port.AmqpPort;

/**
 * Starts Apache Qpid Broker-J inside the test JVM as an AMQP 0-9-1 broker that the RabbitMQ client can use.
 *
 * <p>The broker's configuration (qpid-initial-config.json beside this class) and its one virtual host live in
 * memory. The AMQP port binds 127.0.0.1 on a port the OS picks (port 0), which we read back from the running
 * port, so there is no race for a free port. Users: guest/guest with PLAIN, which Qpid by default allows only
 * over TLS ({@code secureOnlyMechanisms}); the config lifts that, since the RabbitMQ client offers PLAIN only.
 *
 * <p>Virtual host: the RabbitMQ client sends "/" for {@code amqp://host:port/%2F} or no path, and "" for a
 * trailing slash. Qpid strips a leading "/" and its {@code defaultAlias} maps the empty name to the default
 * virtual host node, so both reach the same virtual host (named "default").
 *
 * <p>Qpid resolves its work files against {@code qpid.work_dir}, by default {@code ./work} in the current
 * directory (the module's source tree under Maven). With the memory stores it writes nothing there today, but the
 * work directory is a scratch directory deleted at JVM exit, so nothing it might write lands in the tree.
 *
 * <p>Logging: Qpid 9's broker-core logs through SLF4J only (no logback dependency, no logback config in its
 * jars), so the test JVM's logging set-up is untouched; qpid-system.properties turns off its chatty
 * per-connection operational log. At start-up Qpid copies its default properties (qpid.*) into the JVM's
 * system properties where they are unset.
 *
 * <p>The broker's threads are not daemons: a plain {@code main} using it must call System.exit (test runners do).
 */
final class EmbeddedQpidLauncher {

    private EmbeddedQpidLauncher() {
    }

    /** Starts the broker and returns its AMQP port; a shutdown hook stops the broker at JVM exit. */
    static int start() {
        Running running = launch(resource("qpid-initial-config.json"));
        ShutdownHooks.register(running.launcher()::shutdown);
        return running.port();
    }

    /** A broker started by {@link #launch}: shut it down through its launcher; {@code broker} is its object model. */
    record Running(SystemLauncher launcher, int port, Broker<?> broker) {
    }

    /**
     * Starts a broker from an initial configuration (a URL), in a scratch work directory of its own; the caller
     * shuts it down ({@link RestartableAmqpBroker} starts and stops one on a fixed port this way).
     */
    static Running launch(String initialConfiguration) {
        DerbyLog.silence();
        Path workDirectory = ScratchDirectories.create("wizmesh-qpid-");
        StartupListener listener = new StartupListener();
        SystemLauncher launcher = new SystemLauncher(listener);
        try {
            launcher.startup(Map.of(
                    SystemConfig.TYPE, "Memory",
                    SystemConfig.INITIAL_CONFIGURATION_LOCATION, initialConfiguration,
                    SystemConfig.INITIAL_SYSTEM_PROPERTIES_LOCATION, resource("qpid-system.properties"),
                    // Qpid prints its start-up banner straight to System.out unless told not to.
                    SystemConfig.STARTUP_LOGGED_TO_SYSTEM_OUT, false,
                    SystemConfig.CONTEXT, Map.of(
                            SystemConfig.PROPERTY_QPID_WORK, workDirectory.toString(),
                            SystemConfig.QPID_WORK_DIR, workDirectory.toString())));
        } catch (Exception e) {
            throw new IllegalStateException("embedded Qpid broker did not start", e);
        }
        // SystemLauncher reports a failed start to the listener instead of throwing.
        if (listener.error != null || listener.systemConfig == null) {
            launcher.shutdown();
            throw new IllegalStateException("embedded Qpid broker did not start", listener.error);
        }
        Broker<?> broker = listener.systemConfig.getContainer(Broker.class);
        return new Running(launcher, amqpPort(broker), broker);
    }

    private static int amqpPort(Broker<?> broker) {
        return broker.getChildren(Port.class).stream()
                .filter(AmqpPort.class::isInstance)
                .mapToInt(port -> ((AmqpPort<?>) port).getBoundPort())
                .filter(port -> port > 0)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the embedded Qpid broker has no bound AMQP port"));
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

    static String resource(String name) {
        URL url = EmbeddedQpidLauncher.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException("missing resource " + name + " beside " + EmbeddedQpidLauncher.class);
        }
        return url.toExternalForm();
    }
}
