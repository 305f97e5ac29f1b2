package dev.wizmesh.registry.core;

import dev.wizmesh.discovery.InstanceStatus;
import dev.wizmesh.discovery.ServiceInstance;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The registry's state: every registered instance, by service, in memory. State is soft, as in
 * Eureka and Consul's agents: after a restart it is rebuilt within one heartbeat interval by the
 * clients, which re-register when their heartbeat gets a 404.
 *
 * <p>Changes that others must see (register, status, removal) take one write lock, get the next
 * registry-wide index and are appended to the {@link EventLog}, so index order and event order
 * agree. Heartbeats, by far the most frequent call, only renew a lease: no lock, no event.
 */
public class InstanceRegistry {
    private final Clock clock;
    private final EventLog events;
    private final Map<String, Map<String, Registration>> services = new ConcurrentHashMap<>();
    private final Map<String, Long> serviceIndex = new ConcurrentHashMap<>();
    private final Object writeLock = new Object();
    private final LongAdder heartbeats = new LongAdder();
    /** Until {@link #startWarmUp()}: the whole warm-up is still ahead, however slow start-up was. */
    private static final long NOT_STARTED = -1;
    private volatile long startedAtMillis;
    private final long warmUpMillis;
    private volatile long index;

    /**
     * @param warmUpMillis how long after start the registry may still be missing instances
     *                     (state is soft: they come back with their next heartbeat); snapshots
     *                     taken meanwhile say so, and clients do not drop instances on them
     */
    public InstanceRegistry(Clock clock, EventLog events, long warmUpMillis) {
        this.clock = clock;
        this.events = events;
        this.warmUpMillis = warmUpMillis;
        this.startedAtMillis = NOT_STARTED;
    }

    /** Starts the warm-up again from now: called once the server takes requests, as start-up itself can be slow. */
    public void startWarmUp() {
        startedAtMillis = clock.millis();
    }

    /** Milliseconds until every live instance has had a heartbeat's chance to re-register; 0 after. */
    public long warmUpRemainingMillis() {
        long started = startedAtMillis;
        if (started == NOT_STARTED) {
            return warmUpMillis;
        }
        return Math.max(0, started + warmUpMillis - clock.millis());
    }

    /** Adds or replaces an instance (a replacement is an UPDATED event). */
    public Registration register(ServiceInstance instance, HealthCheckSpec healthCheck, long leaseTtlMillis) {
        long now = clock.millis();
        synchronized (writeLock) {
            Map<String, Registration> instances = services.computeIfAbsent(instance.service(), s -> new ConcurrentHashMap<>());
            Registration previous = instances.get(instance.id());
            Registration registration = new Registration(instance, healthCheck, leaseTtlMillis, now,
                    previous == null ? now : previous.registeredAtMillis(), -1);
            instances.put(instance.id(), registration);
            publish(previous == null ? EventType.REGISTERED : EventType.UPDATED, instance, previous == null ? "registered" : "re-registered");
            return registration;
        }
    }

    /** Renews the lease; false when the instance is unknown (the client then re-registers). */
    public boolean heartbeat(String service, String id) {
        Map<String, Registration> instances = services.get(service);
        if (instances == null) {
            return false;
        }
        long now = clock.millis();
        Registration renewed = instances.computeIfPresent(id, (k, r) -> r.renewed(now));
        if (renewed == null) {
            return false;
        }
        heartbeats.increment();
        return true;
    }

    /** Sets an instance's status; an event only when it actually changes. */
    public Optional<Registration> setStatus(String service, String id, InstanceStatus status, String reason) {
        synchronized (writeLock) {
            Registration current = find(service, id).orElse(null);
            if (current == null) {
                return Optional.empty();
            }
            if (current.instance().status() == status) {
                return Optional.of(current);
            }
            // compute, not put: a heartbeat renewing the lease meanwhile must not be lost
            Registration changed = services.get(service).computeIfPresent(id,
                    (k, r) -> r.withInstance(r.instance().withStatus(status)));
            publish(EventType.UPDATED, changed.instance(), reason);
            return Optional.of(changed);
        }
    }

    /** Removes an instance, as DEREGISTERED or EXPIRED; false when it was not there. */
    public boolean remove(String service, String id, EventType why, String reason) {
        synchronized (writeLock) {
            Map<String, Registration> instances = services.get(service);
            Registration removed = instances == null ? null : instances.remove(id);
            if (removed == null) {
                return false;
            }
            if (instances.isEmpty()) {
                services.remove(service);
            }
            publish(why, removed.instance(), reason);
            return true;
        }
    }

    /**
     * Expires the instance only if its lease is still lapsed now, under the lock: a heartbeat
     * that arrived after the sweeper looked (and was answered 200) must win.
     */
    public boolean expireIfLapsed(String service, String id) {
        synchronized (writeLock) {
            Registration current = find(service, id).orElse(null);
            long now = clock.millis();
            if (current == null || !current.leaseLapsed(now)) {
                return false;
            }
            return remove(service, id, EventType.EXPIRED,
                    "no heartbeat for " + (now - current.lastRenewalMillis()) + " ms (TTL " + current.leaseTtlMillis() + " ms)");
        }
    }

    /** Marks the instance DOWN only if its session is still lost and it is still UP, under the lock. */
    public boolean markDownIfSessionStillLost(String service, String id) {
        synchronized (writeLock) {
            Registration current = find(service, id).orElse(null);
            if (current == null || !current.sessionLost() || current.instance().status() != dev.wizmesh.discovery.InstanceStatus.UP) {
                return false;
            }
            setStatus(service, id, dev.wizmesh.discovery.InstanceStatus.DOWN, "session lost");
            return true;
        }
    }

    /** Clears a session loss and brings an instance it took down back UP, under the lock. */
    public void restoreSession(String service, String id) {
        synchronized (writeLock) {
            Registration current = find(service, id).orElse(null);
            if (current == null || !current.sessionLost()) {
                return;
            }
            markSessionRestored(service, id);
            if (current.instance().status() == dev.wizmesh.discovery.InstanceStatus.DOWN) {
                setStatus(service, id, dev.wizmesh.discovery.InstanceStatus.UP, "session restored");
            }
        }
    }

    /** Records that the instance's watch session closed; the session tracker decides what follows. */
    public void markSessionLost(String service, String id) {
        long now = clock.millis();
        Map<String, Registration> instances = services.get(service);
        if (instances != null) {
            instances.computeIfPresent(id, (k, r) -> r.withSessionLostAt(now));
        }
    }

    /** Clears a session loss: its client reconnected its stream. */
    public void markSessionRestored(String service, String id) {
        Map<String, Registration> instances = services.get(service);
        if (instances != null) {
            instances.computeIfPresent(id, (k, r) -> r.withSessionLostAt(-1));
        }
    }

    /** Renews every lease now: used when self-preservation ends, so survivors get a full TTL. */
    public void renewAll() {
        long now = clock.millis();
        services.values().forEach(instances -> instances.replaceAll((id, r) -> r.renewed(now)));
    }

    public Optional<Registration> find(String service, String id) {
        Map<String, Registration> instances = services.get(service);
        return Optional.ofNullable(instances == null ? null : instances.get(id));
    }

    /** A service's instances (UP only unless {@code all}) with the index they are current at. */
    public ServiceView view(String service, boolean all) {
        long at = serviceIndex.getOrDefault(service, 0L);
        Map<String, Registration> instances = services.getOrDefault(service, Map.of());
        List<ServiceInstance> out = new ArrayList<>();
        for (Registration r : instances.values()) {
            if (all || r.instance().isUp()) {
                out.add(r.instance());
            }
        }
        out.sort(Comparator.comparing(ServiceInstance::id));
        return new ServiceView(service, at, out, warmUpRemainingMillis());
    }

    /** @param warmUpRemainingMillis as in {@link Snapshot}: plain reads say it too */
    public record ServiceView(String service, long index, List<ServiceInstance> instances, long warmUpRemainingMillis) {
    }

    /** Instance counts by status, per service. */
    public Map<String, Map<InstanceStatus, Integer>> summary() {
        Map<String, Map<InstanceStatus, Integer>> out = new TreeMap<>();
        services.forEach((service, instances) -> {
            Map<InstanceStatus, Integer> counts = new EnumMap<>(InstanceStatus.class);
            for (InstanceStatus s : InstanceStatus.values()) {
                counts.put(s, 0);
            }
            instances.values().forEach(r -> counts.merge(r.instance().status(), 1, Integer::sum));
            out.put(service, counts);
        });
        return out;
    }

    public Collection<Registration> registrations() {
        List<Registration> all = new ArrayList<>();
        services.values().forEach(instances -> all.addAll(instances.values()));
        return all;
    }

    /**
     * Every current instance of the given services (all when empty) with the index they are
     * current at. Call it under {@link #whileLocked} to join the event stream at that index.
     */
    public Snapshot snapshot(Collection<String> watched) {
        synchronized (writeLock) {
            List<ServiceInstance> instances = new ArrayList<>();
            services.forEach((service, regs) -> {
                if (watched.isEmpty() || watched.contains(service)) {
                    regs.values().forEach(r -> instances.add(r.instance()));
                }
            });
            instances.sort(Comparator.comparing(ServiceInstance::service).thenComparing(ServiceInstance::id));
            return new Snapshot(index, instances, warmUpRemainingMillis());
        }
    }

    /**
     * @param warmUpRemainingMillis above 0 when the registry restarted recently and may not know
     *                              every instance yet: a client keeps what it knew, adds these,
     *                              and takes a fresh snapshot once the warm-up is over
     */
    public record Snapshot(long index, List<ServiceInstance> instances, long warmUpRemainingMillis) {
    }

    /** Runs {@code action} while no change can happen; for watchers resuming from history. */
    public void whileLocked(Runnable action) {
        synchronized (writeLock) {
            action.run();
        }
    }

    public long index() {
        return index;
    }

    public long serviceIndex(String service) {
        return serviceIndex.getOrDefault(service, 0L);
    }

    public long heartbeatCount() {
        return heartbeats.sum();
    }

    public int size() {
        return services.values().stream().mapToInt(Map::size).sum();
    }

    public EventLog events() {
        return events;
    }

    public Clock clock() {
        return clock;
    }

    // called with writeLock held
    private void publish(EventType type, ServiceInstance instance, String reason) {
        long next = index + 1;
        index = next;
        serviceIndex.put(instance.service(), next);
        events.append(new RegistryEvent(next, type, instance.service(), instance, reason));
    }
}
