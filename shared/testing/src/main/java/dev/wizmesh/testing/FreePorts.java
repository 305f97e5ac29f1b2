package dev.wizmesh.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Picks free TCP ports on the loopback interface.
 *
 * <p>The operating system hands out a free ephemeral port; we close the socket again so the caller can bind it.
 * Another process may grab the port in between, so callers that bind it themselves should be ready to retry.
 * Ports already handed out in this JVM are never handed out twice, so two fixtures started back to back in
 * one test run do not collide with each other.
 */
public final class FreePorts {

    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePorts() {
    }

    /** A loopback TCP port that was free a moment ago and has not been returned by this method before. */
    public static synchronized int next() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = probe();
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("the OS kept offering ports already handed out: " + HANDED_OUT);
    }

    private static int probe() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not open a socket on the loopback interface", e);
        }
    }
}
