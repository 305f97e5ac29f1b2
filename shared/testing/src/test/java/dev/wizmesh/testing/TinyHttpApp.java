package dev.wizmesh.testing;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stand-in app for {@link AppProcessIT}, with commands shaped like a Dropwizard app's:
 * {@code check <config>} exits 0 if the file exists, 1 if not; {@code server <config>} serves
 * {@code /health} on the port in the PORT environment variable until SIGTERM.
 */
public final class TinyHttpApp {

    private TinyHttpApp() {
    }

    public static void main(String[] args) throws Exception {
        String command = args[0];
        Path config = Path.of(args[1]);
        if (command.equals("check")) {
            boolean valid = Files.exists(config);
            System.out.println(valid ? "config " + config + " is valid" : "config " + config + " does not exist");
            System.exit(valid ? 0 : 1);
        }
        HttpServer server = HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(System.getenv("PORT"))), 0);
        server.createContext("/health", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping");
            server.stop(0);
        }));
        System.out.println("started as " + System.getProperty("tiny.name"));
    }
}
