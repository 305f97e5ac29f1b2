package dev.wizmesh.discovery.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wizmesh.discovery.InstanceStatus;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this app registered: registers once its ports are bound, heartbeats with jitter,
 * re-registers when the registry answers 404 (it restarted and forgot us: its state is soft),
 * holds a session stream open so a kill is noticed within a second, and on graceful shutdown
 * goes OUT_OF_SERVICE, then deregisters, before the server stops accepting.
 */
public class RegistryClient {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryClient.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);

    private final RegistryHttp http;
    private final Map<String, Object> registration = new LinkedHashMap<>();
    private final String service;
    private volatile String instanceId;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "registry-client");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile long heartbeatMillis = 10_000;
    private volatile boolean registered;
    private volatile boolean warnedUnavailable;
    private volatile InputStream sessionStream;

    public RegistryClient(RegistryHttp http, String service) {
        this.http = http;
        this.service = service;
    }

    public String instanceId() {
        return instanceId;
    }

    public boolean isRegistered() {
        return registered;
    }

    /**
     * Registers and starts heartbeats and the session; a registry that is down is retried.
     *
     * @param body the registration (host, port, version, zone, ...), including {@code id},
     *             which stays the same across re-registrations
     */
    public void start(Map<String, Object> body) {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        registration.putAll(body);
        instanceId = String.valueOf(body.get("id"));
        scheduler.execute(this::registerOrRetry);
        Thread session = new Thread(this::holdSession, "registry-session");
        session.setDaemon(true);
        session.start();
    }

    private void registerOrRetry() {
        if (!running.get()) {
            return;
        }
        try {
            register();
            scheduleHeartbeat();
        } catch (RuntimeException e) {
            warnOnce("cannot register " + service + "/" + instanceId + ": " + e.getMessage());
            scheduler.schedule(this::registerOrRetry, jittered(1_000), TimeUnit.MILLISECONDS);
        }
    }

    private void register() {
        RegistryHttp.Answer answer = http.send("POST", "/v1/services/" + service + "/instances", registration, CALL_TIMEOUT);
        if (!answer.ok()) {
            throw new IllegalStateException("registry refused the registration: HTTP " + answer.status() + " " + answer.body());
        }
        JsonNode body = http.read(answer.body(), JsonNode.class);
        heartbeatMillis = body.path("heartbeatIntervalMillis").asLong(heartbeatMillis);
        registered = true;
        if (warnedUnavailable) {
            LOG.info("registered {}/{} again with {}", service, instanceId, http.currentRegistry());
        } else {
            LOG.info("registered {}/{} with {} (heartbeat every {} ms)", service, instanceId, http.currentRegistry(), heartbeatMillis);
        }
        warnedUnavailable = false;
    }

    private void scheduleHeartbeat() {
        if (running.get()) {
            scheduler.schedule(this::heartbeat, jittered(heartbeatMillis), TimeUnit.MILLISECONDS);
        }
    }

    private void heartbeat() {
        if (!running.get()) {
            return;
        }
        try {
            RegistryHttp.Answer answer = http.send("PUT", path() + "/heartbeat", null, CALL_TIMEOUT);
            if (answer.status() == 404) {
                LOG.info("the registry no longer knows {}/{} (it restarted or expired us): registering again", service, instanceId);
                register();
            }
        } catch (RuntimeException e) {
            registered = false;
            warnOnce("heartbeat failed: " + e.getMessage());
        }
        scheduleHeartbeat();
    }

    /**
     * The session: a watch stream that names this instance. The registry marks us DOWN soon
     * after it breaks without a deregister; here it is reopened at once if it breaks while we run.
     */
    private void holdSession() {
        long backoff = 100;
        while (running.get()) {
            long openedAt = 0;
            try {
                HttpResponse<InputStream> stream = http.openStream("/v1/watch?service=" + service + "&session=" + service + "/" + instanceId, null);
                sessionStream = stream.body();
                if (!running.get()) {
                    closeSession(); // deregistered while the stream was opening
                    return;
                }
                backoff = 100;
                openedAt = System.nanoTime();
                SseReader.read(stream.body(), event -> { });
            } catch (Exception e) {
                if (!running.get()) {
                    return;
                }
            }
            if (openedAt != 0 && System.nanoTime() - openedAt > TimeUnit.SECONDS.toNanos(1)) {
                // a stream that had been up just ended: reopen at once, well within the registry's
                // session grace (500 ms), so a reconnect is not taken for a dead process (one that
                // ends as soon as it opens still backs off)
                continue;
            }
            sleep(backoff);
            backoff = Math.min(backoff * 2, 2_000);
        }
    }

    /** Drain, then leave: OUT_OF_SERVICE first, so callers stop picking us, then deregister. */
    public void deregister() {
        if (!running.compareAndSet(true, false)) {
            return;
        }
        scheduler.shutdownNow();
        try {
            http.send("PUT", path() + "/status", Map.of("status", InstanceStatus.OUT_OF_SERVICE), CALL_TIMEOUT);
            http.send("DELETE", path(), null, CALL_TIMEOUT);
            LOG.info("deregistered {}/{}", service, instanceId);
        } catch (RuntimeException e) {
            LOG.warn("could not deregister {}/{} ({}); the registry will expire it", service, instanceId, e.getMessage());
        } finally {
            registered = false;
            closeSession();
        }
    }

    private void closeSession() {
        InputStream in = sessionStream;
        if (in != null) {
            try {
                in.close();
            } catch (Exception ignored) {
                // closing a broken stream
            }
        }
    }

    private String path() {
        return "/v1/services/" + service + "/instances/" + instanceId;
    }

    /** ±10 %: instances that started together do not heartbeat (or re-register) in lockstep. */
    static long jittered(long millis) {
        return (long) (millis * ThreadLocalRandom.current().nextDouble(0.9, 1.1));
    }

    private void warnOnce(String message) {
        if (!warnedUnavailable) {
            LOG.warn("{}; retrying", message);
            warnedUnavailable = true;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
