package dev.wizmesh.lock;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A lock this owner took. Close it (try-with-resources) to release it; with a watchdog it stays
 * held while the work runs, however long that is, and {@link #isLost()} turns true if an
 * extension ever finds it taken away (expired during a pause longer than the lease, say).
 *
 * <p>The {@link #fencingToken()} is what makes the lock safe to rely on: a lock can always be lost
 * without its owner knowing in time (a GC pause, a network partition), so the resource it
 * protects must refuse a write whose token is lower than one it has already seen.
 */
public final class HeldLock implements AutoCloseable {
    private final RedisLocks locks;
    private final String name;
    private final String owner;
    private final long fencingToken;
    private final AtomicBoolean released = new AtomicBoolean();
    private final AtomicBoolean lost = new AtomicBoolean();
    private volatile ScheduledFuture<?> watchdog;

    HeldLock(RedisLocks locks, String name, String owner, long fencingToken) {
        this.locks = locks;
        this.name = name;
        this.owner = owner;
        this.fencingToken = fencingToken;
    }

    public String name() {
        return name;
    }

    /** The random token that names this owner in Redis. */
    public String owner() {
        return owner;
    }

    /** Grows with every acquisition of this lock's name, by anyone: pass it to the protected resource. */
    public long fencingToken() {
        return fencingToken;
    }

    /** True once an extension found the lock no longer ours: stop working on what it protects. */
    public boolean isLost() {
        return lost.get();
    }

    /** Sets the lease to {@code lease} from now; false if the lock is no longer ours (it expired, someone took it). */
    public boolean extend(Duration lease) {
        if (released.get()) {
            return false; // let go of on purpose: not lost
        }
        boolean ours = locks.extend(name, owner, lease);
        if (!ours) {
            lost.set(true);
        }
        return ours;
    }

    /** Releases the lock if it is still ours; false if it had expired (and maybe been taken) already. Idempotent. */
    public boolean release() {
        stopWatchdog();
        return released.compareAndSet(false, true) && locks.release(name, owner);
    }

    @Override
    public void close() {
        release();
    }

    void markLost() {
        lost.set(true);
    }

    void watchWith(ScheduledFuture<?> watchdog) {
        this.watchdog = watchdog;
    }

    void stopWatchdog() {
        ScheduledFuture<?> w = watchdog;
        if (w != null) {
            w.cancel(false);
        }
    }

    @Override
    public String toString() {
        return "HeldLock[" + name + ", token " + fencingToken + (lost.get() ? ", lost" : "") + "]";
    }
}
