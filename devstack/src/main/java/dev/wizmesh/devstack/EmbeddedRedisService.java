package dev.wizmesh.devstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import redis.embedded.RedisServer;

/**
 * A real redis-server from the binaries com.github.codemonstur:embedded-redis ships in its jar (Redis 6.2 for
 * Linux and macOS, x86-64 and arm64), started as a child process the way shared/testing's EmbeddedRedisLauncher
 * starts it for the tests: 127.0.0.1 only, no snapshot, no append-only file (a cache and rate-limit counters,
 * nothing to keep), on a fixed port so that its address is the same every run.
 *
 * <p>It writes its pid to {@code redis/redis.pid} in the devstack's directory. A devstack killed with SIGKILL
 * cannot stop its child; the next one finds that redis-server by the pid file and stops it before it starts its own.
 */
final class EmbeddedRedisService implements RedisService {

    static final String HOST = "127.0.0.1";

    private final RedisServer server;
    private final int port;

    private EmbeddedRedisService(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    static EmbeddedRedisService start(Path directory, int configuredPort) {
        Path pidFile = directory.resolve("redis.pid");
        stopOrphan(pidFile);
        // redis-server now and then exits before it says it is ready (a free port taken in the
        // meantime, say); embedded-redis then only knows it failed: try again, on a new free port
        // when none was configured, as shared/testing's launcher does
        DevStackException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                return startOnce(directory, pidFile, configuredPort == 0 ? freePort() : configuredPort);
            } catch (DevStackException e) {
                last = e;
                Progress.say(e.getMessage() + (attempt < 3 ? "; trying again" : ""));
            }
        }
        throw last;
    }

    private static EmbeddedRedisService startOnce(Path directory, Path pidFile, int port) {
        requireFreePort(port);
        Progress.say("starting embedded Redis on " + HOST + ":" + port + " ...");
        long started = System.nanoTime();
        try {
            Files.createDirectories(directory);
            RedisServer server = RedisServer.newRedisServer()
                    .bind(HOST)
                    .port(port)
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .setting("dir " + directory)
                    .setting("pidfile " + pidFile)
                    .build();
            server.start();
            String pong = RedisService.send(HOST, port, List.of(List.of("PING"))).get(0);
            if (!"+PONG".equals(pong)) {
                server.stop();
                throw new DevStackException("the embedded Redis answered PING with " + pong);
            }
            Progress.say("Redis accepts connections on " + HOST + ":" + port + " (no password) after "
                    + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
            return new EmbeddedRedisService(server, port);
        } catch (IOException e) {
            throw new DevStackException("the embedded Redis did not start on port " + port + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String url() {
        return "redis://" + HOST + ":" + port;
    }

    int port() {
        return port;
    }

    /** SIGTERM to redis-server, which exits at once (nothing to save); the library waits for the process. */
    @Override
    public void close() {
        Progress.say("stopping Redis ...");
        try {
            server.stop();
            Progress.say("Redis stopped");
        } catch (IOException e) {
            Progress.say("Redis did not stop cleanly: " + e.getMessage());
        }
    }

    /**
     * We hold the devstack lock, so a redis-server whose pid is in our pid file was left by a devstack that was
     * killed before it could stop it; it would hold the port. SIGTERM, as {@link #close} sends.
     */
    private static void stopOrphan(Path pidFile) {
        Optional<ProcessHandle> orphan = readPid(pidFile).flatMap(ProcessHandle::of)
                .filter(process -> process.info().command().map(command -> command.contains("redis-server")).orElse(false));
        if (orphan.isEmpty()) {
            return;
        }
        long pid = orphan.get().pid();
        Progress.say("a Redis server (pid " + pid + ") left by a devstack that did not stop cleanly still runs; stopping it");
        orphan.get().destroy();
        try {
            orphan.get().onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new DevStackException("could not stop the Redis server left running (pid " + pid
                    + "); stop it yourself (kill " + pid + ") and start again", e);
        }
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new DevStackException("no free port for Redis: " + e.getMessage(), e);
        }
    }

    private static void requireFreePort(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new DevStackException("port " + port + " is in use (another devstack, or a Redis of yours?);"
                    + " stop it, or choose another port with DEVSTACK_REDIS_PORT (0: any free port)");
        }
    }
}
