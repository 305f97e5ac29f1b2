package dev.wizmesh.registry.core;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Consul-style blocking queries: "answer me when this service's index passes N". A waiter is a
 * future completed by the next change to its service; the resource answers on completion or when
 * the wait runs out, whichever comes first.
 */
public class BlockingQueries {
    private final InstanceRegistry registry;
    private final Map<String, Set<CompletableFuture<Long>>> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger waiters = new AtomicInteger();

    public BlockingQueries(InstanceRegistry registry) {
        this.registry = registry;
        registry.events().addListener(event -> wake(event.service(), event.index()));
    }

    /** Completes with the service's index as soon as it is greater than {@code index}. */
    public CompletableFuture<Long> awaitChange(String service, long index) {
        CompletableFuture<Long> future = new CompletableFuture<>();
        waiting.computeIfAbsent(service, s -> ConcurrentHashMap.newKeySet()).add(future);
        waiters.incrementAndGet();
        future.whenComplete((v, e) -> {
            waiters.decrementAndGet();
            Set<CompletableFuture<Long>> set = waiting.get(service);
            if (set != null) {
                set.remove(future);
            }
        });
        // checked after registering, so a change between the caller's read and now is not missed
        long current = registry.serviceIndex(service);
        if (current > index) {
            future.complete(current);
        }
        return future;
    }

    /** Answers every waiting query now, with the index as it is: the registry is stopping. */
    public void releaseAll() {
        waiting.forEach((service, set) -> {
            long current = registry.serviceIndex(service);
            set.forEach(f -> f.complete(current));
        });
    }

    /** Blocking queries waiting now (a metric). */
    public int waiting() {
        return waiters.get();
    }

    private void wake(String service, long index) {
        Set<CompletableFuture<Long>> set = waiting.get(service);
        if (set != null) {
            for (CompletableFuture<Long> f : set) {
                f.complete(index);
            }
        }
    }
}
