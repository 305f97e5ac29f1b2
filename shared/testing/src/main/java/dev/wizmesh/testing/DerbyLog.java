package dev.wizmesh.testing;

import java.io.OutputStream;

/**
 * Where Derby (the store of {@link RestartableAmqpBroker#persistent()}) writes its boot and shutdown messages:
 * nowhere. Left alone, it creates {@code derby.log} in the current directory, a module's source tree under Maven.
 * Derby reads {@code derby.stream.error.*} once, when its engine first loads, and Qpid loads it with its store
 * plugins at any broker's start, so {@link EmbeddedQpidLauncher} calls {@link #silence()} before every start.
 * Public only because Derby reads the field by reflection.
 */
public final class DerbyLog {
    /** Named by {@code derby.stream.error.field}. */
    public static final OutputStream NOWHERE = OutputStream.nullOutputStream();

    private DerbyLog() {
    }

    static void silence() {
        synchronized (System.getProperties()) {
            if (System.getProperty("derby.stream.error.field") == null && System.getProperty("derby.stream.error.file") == null) {
                System.setProperty("derby.stream.error.field", DerbyLog.class.getName() + ".NOWHERE");
            }
        }
    }
}
