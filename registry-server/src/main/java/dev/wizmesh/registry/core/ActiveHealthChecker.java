package dev.wizmesh.registry.core;

import dev.wizmesh.discovery.InstanceStatus;
import io.dropwizard.lifecycle.Managed;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consul-style active checks for instances that ask for one: the registry GETs their health URL
 * on their interval. A failure (non-2xx, refused, or slower than the timeout) marks the instance
 * DOWN; a pass brings an instance this checker took down back UP; failing for longer than
 * {@code deregisterAfterSeconds} removes it. Checks run asynchronously, so a slow instance never
 * holds up the others.
 */
public class ActiveHealthChecker implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(ActiveHealthChecker.class);

    private final InstanceRegistry registry;
    private final Map<String, CheckState> checks = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final java.util.function.Consumer<RegistryEvent> listener = this::onEvent;
    private ScheduledExecutorService scheduler;

    public ActiveHealthChecker(InstanceRegistry registry) {
        this.registry = registry;
    }

    private static final class CheckState {
        final String service;
        final String id;
        final HealthCheckSpec spec;
        volatile ScheduledFuture<?> task;
        volatile long failingSinceMillis = -1;
        volatile boolean tookItDown;

        CheckState(String service, String id, HealthCheckSpec spec) {
            this.service = service;
            this.id = id;
            this.spec = spec;
        }
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "active-health-checks"));
        registry.events().addListener(listener);
    }

    @Override
    public void stop() {
        registry.events().removeListener(listener);
        scheduler.shutdownNow();
    }

    private void onEvent(RegistryEvent event) {
        String key = event.service() + "/" + event.instance().id();
        switch (event.type()) {
            case REGISTERED, UPDATED -> registry.find(event.service(), event.instance().id()).ifPresent(r -> {
                CheckState existing = checks.get(key);
                if (r.healthCheck() == null) {
                    cancel(key);
                } else if (existing == null || !existing.spec.equals(r.healthCheck())) {
                    cancel(key);
                    CheckState state = new CheckState(event.service(), event.instance().id(), r.healthCheck());
                    checks.put(key, state);
                    long interval = r.healthCheck().intervalSeconds() * 1000L;
                    state.task = scheduler.scheduleWithFixedDelay(() -> check(state), 0, interval, TimeUnit.MILLISECONDS);
                }
            });
            case DEREGISTERED, EXPIRED -> cancel(key);
        }
    }

    private void cancel(String key) {
        CheckState state = checks.remove(key);
        if (state != null && state.task != null) {
            state.task.cancel(false);
        }
    }

    private void check(CheckState state) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(state.spec.url()))
                    .timeout(Duration.ofSeconds(state.spec.timeoutSeconds())).GET().build();
        } catch (IllegalArgumentException e) {
            failed(state, "unusable health check URL"); // an exception here would silently end the schedule
            return;
        }
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            if (checks.get(state.service + "/" + state.id) != state) {
                return; // a result for a check since cancelled or replaced (the instance re-registered)
            }
            if (error == null && response.statusCode() / 100 == 2) {
                passed(state);
            } else {
                failed(state, error != null ? error.getClass().getSimpleName() : "HTTP " + response.statusCode());
            }
        });
    }

    private void passed(CheckState state) {
        state.failingSinceMillis = -1;
        if (state.tookItDown) {
            state.tookItDown = false;
            registry.setStatus(state.service, state.id, InstanceStatus.UP, "health check passing");
        }
    }

    private void failed(CheckState state, String why) {
        long now = registry.clock().millis();
        if (state.failingSinceMillis < 0) {
            state.failingSinceMillis = now;
        }
        if (now - state.failingSinceMillis >= state.spec.deregisterAfterSeconds() * 1000L) {
            LOG.info("{}/{} failed its health check for {} s: removing it", state.service, state.id, state.spec.deregisterAfterSeconds());
            registry.remove(state.service, state.id, EventType.DEREGISTERED, "health check failing for " + state.spec.deregisterAfterSeconds() + " s: " + why);
            return;
        }
        registry.find(state.service, state.id).ifPresent(r -> {
            if (r.instance().status() == InstanceStatus.UP) {
                state.tookItDown = true;
                registry.setStatus(state.service, state.id, InstanceStatus.DOWN, "health check failed: " + why);
            }
        });
    }

    /** Instances under an active check now (a metric). */
    public int checking() {
        return checks.size();
    }
}
