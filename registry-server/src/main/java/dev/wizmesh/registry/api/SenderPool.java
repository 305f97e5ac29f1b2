package dev.wizmesh.registry.api;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that write watch events: as many as there are cores, so a change fanned out to
 * 1,000 streams is 1,000 small writes on a couple of threads, not 1,000 thread hand-offs (a
 * thread per busy stream, as a cached pool gives, costs more in context switches on two cores
 * than the writes themselves).
 *
 * <p>A write to a peer that stopped reading blocks its thread once the socket buffer is full,
 * until Jetty's idle timeout. So a stream whose write has been stuck for a while is reported
 * ({@link #stalled()}) and the pool grows by one thread for as long as it stays stuck
 * ({@link #unstalled()}): stalled peers never take the threads every other stream needs.
 */
final class SenderPool implements Executor {
    private final int base;
    private final ThreadPoolExecutor pool;
    private int stalled; // guarded by this

    SenderPool(int threads) {
        this.base = threads;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "watch-sender-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    /** A write has been stuck past the threshold: one more thread while it stays stuck. */
    synchronized void stalled() {
        stalled++;
        pool.setMaximumPoolSize(base + stalled);
        pool.setCorePoolSize(base + stalled);
    }

    /** A write reported by {@link #stalled()} has returned (or failed). */
    synchronized void unstalled() {
        stalled--;
        pool.setCorePoolSize(base + stalled);
        pool.setMaximumPoolSize(base + stalled);
    }

    /** Threads now (a test and metric hook). */
    int threads() {
        return pool.getPoolSize();
    }

    void shutdownNow() {
        pool.shutdownNow();
    }
}
