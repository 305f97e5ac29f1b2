package dev.wizmesh.testing;

import java.io.IOException;
import java.net.URI;
import redis.embedded.RedisServer;

/**
 * Starts the real redis-server binary that com.github.codemonstur:embedded-redis ships in its jar (Redis 6.2).
 *
 * <p>It listens on 127.0.0.1 only, on a free port, and never writes a snapshot or an append-only file. The
 * library registers a shutdown hook that stops the process at JVM exit. Its log goes nowhere: the library
 * reads stdout until the "ready to accept connections" line and then closes the pipe, and Redis (which
 * ignores SIGPIPE) drops later log lines.
 */
final class EmbeddedRedisLauncher {

    /** A port picked by {@link FreePorts} can be taken by another process before Redis binds it; then we retry. */
    private static final int ATTEMPTS = 3;

    private EmbeddedRedisLauncher() {
    }

    static URI start() {
        IOException lastFailure = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = FreePorts.next();
            try {
                RedisServer.newRedisServer()
                        .bind("127.0.0.1")
                        .port(port)
                        .setting("save \"\"")
                        .setting("appendonly no")
                        .build()
                        .start();
                return URI.create("redis://127.0.0.1:" + port);
            } catch (IOException e) {
                lastFailure = e;
            }
        }
        throw new IllegalStateException("embedded Redis did not start after " + ATTEMPTS + " attempts", lastFailure);
    }
}
