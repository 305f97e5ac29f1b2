package dev.wizmesh.discovery.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wizmesh.discovery.ServiceInstance;
import dev.wizmesh.discovery.registry.RegistryHttp;
import dev.wizmesh.discovery.registry.SseEvent;
import dev.wizmesh.discovery.registry.SseReader;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local copy of the registry's instances, kept current by a watch stream (SSE), so a lookup
 * never waits on the network and a change arrives in milliseconds, where Eureka's clients poll
 * every 30 s. When no stream can be held (a proxy that buffers responses), the catalog falls back
 * to plain reads every second, and keeps trying the stream. When the registry is
 * unreachable the last known instances keep being served, and {@link #isStale()} says so.
 */
public class ServiceCatalog implements InstanceSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceCatalog.class);
    /** How often plain reads refresh the catalog while no stream can be held. */
    private static final long POLL_INTERVAL_MILLIS = 1_000;
    /** The registry sends its snapshot at once; a stream silent this long after opening is broken. */
    private static final long FIRST_EVENT_TIMEOUT_NANOS = 3_000_000_000L;
    /** The registry sends a keep-alive every 15 s; a stream silent this long is dead (a lost network). */
    private static final long IDLE_TIMEOUT_NANOS = 40_000_000_000L;

    private final RegistryHttp http;
    private final ObjectMapper mapper;
    private final Set<String> services;
    private final Map<String, Map<String, ServiceInstance>> byService = new ConcurrentHashMap<>();
    private final List<Consumer<CatalogEvent>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong lastSyncMillis = new AtomicLong();
    private volatile boolean stale = true;
    private volatile String lastEventId;
    private volatile InputStream stream;
    private volatile Thread worker;
    private volatile long streamOpenedNanos;
    private volatile long lastLineNanos;
    /** A fresh stream (no Last-Event-ID) must start with a SNAPSHOT; anything else is not enough. */
    private volatile boolean awaitingSnapshot;
    private final java.util.concurrent.ScheduledExecutorService watchdog = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "service-catalog-watchdog");
                t.setDaemon(true);
                return t;
            });

    /** @param services the services to follow; empty follows every service */
    public ServiceCatalog(RegistryHttp http, ObjectMapper mapper, Set<String> services) {
        this.http = http;
        this.mapper = mapper;
        this.services = Set.copyOf(services);
    }

    public void start() {
        if (running.compareAndSet(false, true)) {
            worker = new Thread(this::run, "service-catalog");
            worker.setDaemon(true);
            worker.start();
            watchdog.scheduleWithFixedDelay(this::closeSilentStream, 500, 500, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        running.set(false);
        watchdog.shutdownNow();
        closeStream();
        Thread w = worker;
        if (w != null) {
            w.interrupt();
        }
    }

    @Override
    public List<ServiceInstance> instances(String service) {
        Map<String, ServiceInstance> instances = byService.get(service);
        if (instances == null) {
            return List.of();
        }
        List<ServiceInstance> up = new ArrayList<>();
        for (ServiceInstance i : instances.values()) {
            if (i.isUp()) {
                up.add(i);
            }
        }
        up.sort(Comparator.comparing(ServiceInstance::id));
        return up;
    }

    /** True until the first sync, and while the registry cannot be reached. */
    public boolean isStale() {
        return stale;
    }

    public long lastSyncMillis() {
        return lastSyncMillis.get();
    }

    @Override
    public void addListener(Consumer<CatalogEvent> listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(Consumer<CatalogEvent> listener) {
        listeners.remove(listener);
    }

    /** A go-micro style watcher: {@code next()} blocks for the next change; {@code stop()} ends it. */
    public CatalogWatcher watch() {
        return new CatalogWatcher(this);
    }

    private void run() {
        long backoff = 100;
        while (running.get()) {
            try {
                followStream();
                backoff = 100;
            } catch (Exception streamFailure) {
                if (!running.get()) {
                    return;
                }
                try {
                    // the registry may answer plain reads even where a stream cannot pass (a proxy)
                    pollOnce();
                    backoff = POLL_INTERVAL_MILLIS;
                } catch (Exception pollFailure) {
                    if (!stale) {
                        LOG.warn("registry unreachable ({}); serving the last known instances", pollFailure.getMessage());
                    }
                    stale = true;
                    backoff = Math.min(backoff * 2, 2_000);
                }
            }
            sleep(backoff);
        }
    }

    private void followStream() throws Exception {
        String query = services.stream().map(s -> "service=" + URLEncoder.encode(s, StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<InputStream> response = http.openStream("/v1/watch" + (query.isEmpty() ? "" : "?" + query), lastEventId);
        lastLineNanos = 0;
        awaitingSnapshot = lastEventId == null;
        streamOpenedNanos = System.nanoTime();
        stream = response.body();
        try {
            SseReader.read(response.body(), this::apply, () -> lastLineNanos = System.nanoTime());
        } finally {
            stream = null;
        }
    }

    private void apply(SseEvent event) {
        try {
            JsonNode data = mapper.readTree(event.data());
            lastEventId = event.id();
            if ("SNAPSHOT".equals(event.name())) {
                awaitingSnapshot = false;
                replaceAll(data);
            } else {
                ServiceInstance instance = mapper.treeToValue(data.get("instance"), ServiceInstance.class);
                Map<String, ServiceInstance> instances = byService.computeIfAbsent(instance.service(), s -> new ConcurrentHashMap<>());
                switch (event.name()) {
                    case "DEREGISTERED", "EXPIRED" -> instances.remove(instance.id());
                    default -> instances.put(instance.id(), instance);
                }
                notifyListeners(instance.service(), data.path("index").asLong());
            }
            synced();
        } catch (Exception e) {
            LOG.warn("ignoring a watch event we cannot read: {}", e.getMessage());
        }
    }

    private void replaceAll(JsonNode snapshot) throws Exception {
        Map<String, Map<String, ServiceInstance>> fresh = new java.util.HashMap<>();
        for (JsonNode node : snapshot.path("instances")) {
            ServiceInstance instance = mapper.treeToValue(node, ServiceInstance.class);
            fresh.computeIfAbsent(instance.service(), s -> new ConcurrentHashMap<>()).put(instance.id(), instance);
        }
        long index = snapshot.path("index").asLong();
        long warmUp = snapshot.path("warmUpRemainingMillis").asLong(0);
        boolean knewSome = !byService.isEmpty();
        Set<String> touched = new java.util.HashSet<>(byService.keySet());
        touched.addAll(fresh.keySet());
        for (String service : touched) {
            install(service, fresh.getOrDefault(service, new ConcurrentHashMap<>()), index, warmUp);
        }
        if (warmUp > 0 && knewSome) {
            resyncAfter(warmUp + 100);
        }
    }

    /**
     * Puts one service's instances as the registry now lists them. A registry that just
     * restarted does not know every instance yet (they come back with their next heartbeat), and
     * says so ({@code warmUpMillis} > 0). Dropping what it has not heard of would empty callers'
     * lists for a heartbeat interval; instead, while it warms up, add what it knows and keep the
     * rest: the stream takes a fresh snapshot, or the next plain read replaces, after the warm-up.
     */
    private void install(String service, Map<String, ServiceInstance> now, long index, long warmUpMillis) {
        Map<String, ServiceInstance> before = byService.get(service);
        if (warmUpMillis > 0 && before != null && !before.isEmpty()) {
            if (!before.entrySet().containsAll(now.entrySet())) {
                before.putAll(now);
                notifyListeners(service, index);
            }
            return;
        }
        byService.put(service, now);
        if (before == null || !before.equals(now)) {
            notifyListeners(service, index);
        }
    }

    /** One round of plain reads: the fallback when no stream can be held. */
    private void pollOnce() throws Exception {
        List<String> names = new ArrayList<>(services);
        if (names.isEmpty()) {
            RegistryHttp.Answer all = ok(http.send("GET", "/v1/services", null, Duration.ofSeconds(3)));
            for (JsonNode s : mapper.readTree(all.body()).path("services")) {
                names.add(s.path("service").asText());
            }
        }
        for (String service : names) {
            RegistryHttp.Answer answer = ok(http.send("GET", "/v1/services/" + service + "?all=true", null, Duration.ofSeconds(3)));
            JsonNode view = mapper.readTree(answer.body());
            Map<String, ServiceInstance> now = new ConcurrentHashMap<>();
            for (JsonNode node : view.path("instances")) {
                ServiceInstance instance = mapper.treeToValue(node, ServiceInstance.class);
                now.put(instance.id(), instance);
            }
            install(service, now, view.path("index").asLong(), view.path("warmUpRemainingMillis").asLong(0));
        }
        synced();
    }

    /**
     * Only a 2xx answer lists instances. Anything else (a registry draining before it stops
     * answers 503, as does a proxy with no registry behind it) says nothing about them: read as
     * "no instances" it would empty every caller's list.
     */
    private static RegistryHttp.Answer ok(RegistryHttp.Answer answer) throws java.io.IOException {
        if (!answer.ok()) {
            throw new java.io.IOException("the registry answered HTTP " + answer.status());
        }
        return answer;
    }

    private void synced() {
        lastSyncMillis.set(System.currentTimeMillis());
        if (stale) {
            stale = false;
            LOG.info("service catalog in sync with {}", http.currentRegistry());
        }
    }

    private void notifyListeners(String service, long index) {
        CatalogEvent event = new CatalogEvent(service, instances(service), index);
        for (Consumer<CatalogEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("a catalog listener failed", e);
            }
        }
    }

    /**
     * A read on a stream has no timeout of its own, so a registry that vanished without closing
     * the connection (a lost network), or a stream that never delivered its snapshot, would hold
     * the catalog for ever: close such a stream, and the loop opens a new one.
     */
    private void closeSilentStream() {
        if (stream == null) {
            return;
        }
        long now = System.nanoTime();
        boolean noSnapshot = (awaitingSnapshot || lastLineNanos == 0) && now - streamOpenedNanos > FIRST_EVENT_TIMEOUT_NANOS;
        boolean idle = lastLineNanos != 0 && now - lastLineNanos > IDLE_TIMEOUT_NANOS;
        if (noSnapshot || idle) {
            LOG.info("watch stream silent for too long ({}); reconnecting", noSnapshot ? "no snapshot" : "no keep-alive");
            closeStream();
        }
    }

    /** Ends the stream after a delay, and forgets the position, so the next one starts with a snapshot. */
    private void resyncAfter(long millis) {
        Thread resync = new Thread(() -> {
            sleep(millis);
            lastEventId = null;
            closeStream();
        }, "service-catalog-resync");
        resync.setDaemon(true);
        resync.start();
    }

    private void closeStream() {
        InputStream in = stream;
        if (in != null) {
            try {
                in.close();
            } catch (Exception ignored) {
                // already broken
            }
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
