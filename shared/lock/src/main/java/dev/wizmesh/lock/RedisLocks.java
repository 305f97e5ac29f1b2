package dev.wizmesh.lock;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Distributed locks on one Redis server, the way the Redis docs describe the single-instance
 * lock: {@code SET key owner NX PX lease} to take it, a Lua compare-and-delete to release it (only
 * its owner can), a Lua compare-and-expire to extend it. Each acquisition also gets a fencing
 * token, a per-name counter incremented in the same script, so the protected resource can refuse
 * a late write from an owner who lost the lock without knowing (see docs/locks.md).
 *
 * <pre>{@code
 * locks.runExclusively("report-daily-sales", Duration.ofSeconds(30), Duration.ZERO, held -> {
 *     return reports.build(day, held.fencingToken());   // the watchdog keeps the lock while this runs
 * });
 * }</pre>
 */
public final class RedisLocks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisLocks.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final UnifiedJedis redis;
    private final String namespace;
    private final ScheduledExecutorService watchdogs;

    /**
     * @param redis     the client (its pool is this object's to close)
     * @param namespace prefix of every key, so apps and tests sharing a server keep apart (e.g. {@code wizmesh:})
     */
    public RedisLocks(UnifiedJedis redis, String namespace) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.watchdogs = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lock-watchdog");
            t.setDaemon(true);
            return t;
        });
    }

    /** Takes the lock if nobody holds it; no watchdog: it expires after {@code lease} unless extended or released. */
    public Optional<HeldLock> tryAcquire(String name, Duration lease) {
        requireName(name);
        long leaseMillis = requireLease(lease);
        String owner = newOwnerToken();
        Object token = call(name, () -> redis.eval(LockScripts.ACQUIRE, List.of(lockKey(name), fenceKey(name)),
                List.of(owner, Long.toString(leaseMillis))));
        long fencingToken = ((Number) token).longValue();
        return fencingToken == 0 ? Optional.empty() : Optional.of(new HeldLock(this, name, owner, fencingToken));
    }

    /** Takes the lock, waiting up to {@code wait} for its holder to let go (polling with jitter); else {@link LockNotAcquiredException}. */
    public HeldLock acquire(String name, Duration lease, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        long pause = 10;
        while (true) {
            Optional<HeldLock> held = tryAcquire(name, lease);
            if (held.isPresent()) {
                return held.get();
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new LockNotAcquiredException(name, wait);
            }
            // jitter, so that waiters freed at the same moment do not retry in step
            Thread.sleep(Math.min(left, ThreadLocalRandom.current().nextLong(pause / 2, pause + 1)));
            pause = Math.min(pause * 2, 200);
        }
    }

    /**
     * Keeps {@code held} alive: every third of {@code lease} it is extended to {@code lease} again,
     * until released. If an extension finds it gone, or Redis cannot be reached for longer than the
     * lease, the lock is marked {@link HeldLock#isLost() lost} and the watchdog stops.
     */
    public HeldLock watch(HeldLock held, Duration lease) {
        long leaseMillis = requireLease(lease);
        long period = Math.max(1, leaseMillis / 3);
        long[] lastExtended = {System.nanoTime()};
        held.watchWith(watchdogs.scheduleWithFixedDelay(() -> {
            try {
                if (held.extend(lease)) {
                    lastExtended[0] = System.nanoTime();
                } else {
                    LOG.warn("lock {} was lost (expired or taken) while its work ran", held.name());
                    held.stopWatchdog();
                }
            } catch (LockUnavailableException e) {
                if (System.nanoTime() - lastExtended[0] > TimeUnit.MILLISECONDS.toNanos(leaseMillis)) {
                    held.markLost();
                    LOG.warn("lock {}: Redis unreachable for longer than the lease; it must be taken as lost", held.name());
                    held.stopWatchdog();
                }
            }
        }, period, period, TimeUnit.MILLISECONDS));
        return held;
    }

    /**
     * Runs {@code work} holding the lock, watched (so a long run keeps it), and releases it after,
     * whatever happens. {@link LockNotAcquiredException} if it was held by someone else for {@code wait}.
     */
    public <T> T runExclusively(String name, Duration lease, Duration wait, Function<HeldLock, T> work) throws InterruptedException {
        try (HeldLock held = watch(acquire(name, lease, wait), lease)) {
            return work.apply(held);
        }
    }

    /**
     * Releases {@code name} if {@code owner} holds it; false otherwise (another owner's lock, or
     * none). For a process that kept its owner token across a restart; others use {@link HeldLock#release()}.
     */
    public boolean release(String name, String owner) {
        requireName(name);
        return ((Number) call(name, () -> redis.eval(LockScripts.RELEASE, List.of(lockKey(name)), List.of(owner)))).longValue() == 1;
    }

    boolean extend(String name, String owner, Duration lease) {
        long leaseMillis = requireLease(lease);
        return ((Number) call(name, () -> redis.eval(LockScripts.EXTEND, List.of(lockKey(name)),
                List.of(owner, Long.toString(leaseMillis))))).longValue() == 1;
    }

    /** Redis answers PING (for a health check). */
    public boolean ping() {
        return "PONG".equals(call("ping", redis::ping));
    }

    @Override
    public void close() {
        watchdogs.shutdownNow();
        redis.close();
    }

    private String lockKey(String name) {
        return namespace + "lock:" + name;
    }

    private String fenceKey(String name) {
        return namespace + "lock:" + name + ":fence";
    }

    private <T> T call(String name, java.util.function.Supplier<T> command) {
        try {
            return command.get();
        } catch (JedisException e) {
            throw new LockUnavailableException("lock " + name + ": Redis cannot be reached (" + e.getMessage() + ")", e);
        }
    }

    private static String newOwnerToken() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a lock name is 1-200 letters, digits and . _ : / - (starting with a letter or digit), was "
                    + (name == null ? "null" : "'" + name + "'"));
        }
    }

    private static long requireLease(Duration lease) {
        if (lease == null || lease.toMillis() < 1) {
            throw new IllegalArgumentException("a lease must be at least 1 ms, was " + lease);
        }
        return lease.toMillis();
    }
}
