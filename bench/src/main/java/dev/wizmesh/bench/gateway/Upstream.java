package dev.wizmesh.bench.gateway;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The service behind all three paths: a bare Jetty 12 server on loopback (core handler, no
 * servlet) answering every GET with the same small JSON body. It runs in the benchmark's JVM,
 * so what it costs is the same in the direct, nginx and gateway runs.
 */
final class Upstream implements AutoCloseable {
    static final String BODY = "{\"id\":\"7c4f2a4e-6d0b-4f5e-9a43-2b1f7d9c8e10\",\"name\":\"bench item\",\"priceMinor\":1299,\"currency\":\"EUR\"}";

    private final Server server = new Server();
    private final ServerConnector connector;

    Upstream() throws Exception {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ByteBuffer body = ByteBuffer.wrap(BODY.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.remaining());
                response.write(true, body.slice(), callback);
                return true;
            }
        });
        server.start();
    }

    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
