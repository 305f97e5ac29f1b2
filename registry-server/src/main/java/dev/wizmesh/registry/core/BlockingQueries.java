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
    /** Answers are written here, never on the thread that published the change (it holds the registry's lock). */
    private final java.util.concurrent.ExecutorService responder = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "blocking-query-responder");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closing;

    public BlockingQueries(InstanceRegistry registry) {
        this.registry = registry;
        registry.events().addListener(event -> wake(event.service(), event.index()));
    }

    /** Completes with the service's index as soon as it is greater than {@code index}. */
    public CompletableFuture<Long> awaitChange(String service, long index) {
        CompletableFuture<Long> future = new CompletableFuture<>();
        if (closing) {
            future.complete(registry.serviceIndex(service));
            return future;
        }
        waiting.computeIfAbsent(service, s -> ConcurrentHashMap.newKeySet()).add(future);
        waiters.incrementAndGet();
        future.whenComplete((v, e) -> {
            waiters.decrementAndGet();
            // drop the service's set once empty: any name can be asked for, and must not stay for ever
            waiting.computeIfPresent(service, (k, set) -> {
                set.remove(future);
                return set.isEmpty() ? null : set;
            });
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
        closing = true;
        waiting.forEach((service, set) -> {
            long current = registry.serviceIndex(service);
            set.forEach(f -> f.complete(current));
        });
    }

    /** Where answers to blocking queries are written. */
    public java.util.concurrent.Executor responder() {
        return responder;
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
