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
        }
    }

    @Override
    public void close() {
        running.set(false);
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

    public void addListener(Consumer<CatalogEvent> listener) {
        listeners.add(listener);
    }

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
                    backoff = Math.min(backoff * 2, 5_000);
                }
            }
            sleep(backoff);
        }
    }

    private void followStream() throws Exception {
        String query = services.stream().map(s -> "service=" + URLEncoder.encode(s, StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<InputStream> response = http.openStream("/v1/watch" + (query.isEmpty() ? "" : "?" + query), lastEventId);
        stream = response.body();
        SseReader.read(response.body(), this::apply);
    }

    private void apply(SseEvent event) {
        try {
            JsonNode data = mapper.readTree(event.data());
            lastEventId = event.id();
            if ("SNAPSHOT".equals(event.name())) {
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
        Set<String> touched = new java.util.HashSet<>(byService.keySet());
        touched.addAll(fresh.keySet());
        for (String service : touched) {
            Map<String, ServiceInstance> now = fresh.getOrDefault(service, new ConcurrentHashMap<>());
            Map<String, ServiceInstance> before = byService.put(service, now);
            if (before == null || !before.equals(now)) {
                notifyListeners(service, index);
            }
        }
    }

    /** One round of plain reads: the fallback when no stream can be held. */
    private void pollOnce() throws Exception {
        List<String> names = new ArrayList<>(services);
        if (names.isEmpty()) {
            RegistryHttp.Answer all = http.send("GET", "/v1/services", null, Duration.ofSeconds(3));
            for (JsonNode s : mapper.readTree(all.body()).path("services")) {
                names.add(s.path("service").asText());
            }
        }
        for (String service : names) {
            RegistryHttp.Answer answer = http.send("GET", "/v1/services/" + service + "?all=true", null, Duration.ofSeconds(3));
            JsonNode view = mapper.readTree(answer.body());
            Map<String, ServiceInstance> now = new ConcurrentHashMap<>();
            for (JsonNode node : view.path("instances")) {
                ServiceInstance instance = mapper.treeToValue(node, ServiceInstance.class);
                now.put(instance.id(), instance);
            }
            Map<String, ServiceInstance> before = byService.put(service, now);
            if (before == null || !before.equals(now)) {
                notifyListeners(service, view.path("index").asLong());
            }
        }
        synced();
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
