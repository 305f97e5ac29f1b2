package dev.wizmesh.discovery;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;

/** The ports Jetty actually bound (port 0 in the YAML means "any": the real one is only known now). */
final class ServerPorts {
    private ServerPorts() {
    }

    static int application(Server server) {
        return port(server, "application");
    }

    static int admin(Server server) {
        return port(server, "admin");
    }

    private static int port(Server server, String name) {
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof NetworkConnector network && name.equals(connector.getName())) {
                return network.getLocalPort();
            }
        }
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof NetworkConnector network) {
                return network.getLocalPort();
            }
        }
        throw new IllegalStateException("the server has no network connector");
    }
}
