package dev.wizmesh.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wizmesh.testing.FreePorts;
import dev.wizmesh.testing.RedisExtension;
import dev.wizmesh.testing.RedisServerInfo;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The lock against a real Redis (embedded, or WIZMESH_TEST_REDIS_URL's), each "process" a
 * RedisLocks of its own with its own connections: mutual exclusion under contention, owner-only
 * release, the watchdog, expiry of a crashed owner's lock, fencing tokens.
 */
@ExtendWith(RedisExtension.class)
class RedisLockIT {
    private final List<RedisLocks> opened = new ArrayList<>();
    private RedisServerInfo redis;

    @BeforeEach
    void server(RedisServerInfo redis) {
        this.redis = redis;
    }

    @AfterEach
    void close() {
        opened.forEach(RedisLocks::close);
    }

    /** One client "process" of the lock. */
    private RedisLocks process() {
        RedisLockFactory factory = new RedisLockFactory();
        factory.setUri(redis.uri());
        factory.setNamespace(redis.keyPrefix());
        RedisLocks locks = factory.build();
        opened.add(locks);
        return locks;
    }

    @Test
    void twentyContendingThreadsNeverHoldTheLockTogether() throws Exception {
        int threads = 20;
        int rounds = 10;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        // read, pause, write back: two holders at once would lose increments (get/set are volatile, so each
        // thread sees the last write; the lock is what keeps the read-modify-write whole)
        AtomicInteger counter = new AtomicInteger();
        List<RedisLocks> processes = List.of(process(), process(), process(), process());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            RedisLocks locks = processes.get(t % processes.size());
            done.add(pool.submit(() -> {
                start.await();
                for (int r = 0; r < rounds; r++) {
                    try (HeldLock held = locks.acquire("counter", Duration.ofSeconds(10), Duration.ofSeconds(60))) {
                        mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        int read = counter.get();
                        Thread.sleep(1);
                        counter.set(read + 1);
                        inside.decrementAndGet();
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        assertThat(mostInside.get()).as("threads inside at once").isEqualTo(1);
        assertThat(counter.get()).as("no increment lost").isEqualTo(threads * rounds);
    }

    @Test
    void onlyTheOwnerCanReleaseOrExtend() {
        RedisLocks a = process();
        RedisLocks b = process();
        HeldLock held = a.tryAcquire("owned", Duration.ofSeconds(30)).orElseThrow();

        assertThat(b.release("owned", "not-the-owner")).isFalse();
        assertThat(b.tryAcquire("owned", Duration.ofSeconds(30))).as("still held by its owner").isEmpty();
        assertThat(b.release("owned", held.owner())).as("the owner's token releases it").isTrue();
        HeldLock taken = b.tryAcquire("owned", Duration.ofSeconds(30)).orElseThrow();

        assertThat(held.release()).as("a stale owner's release does nothing").isFalse();
        assertThat(held.extend(Duration.ofSeconds(30))).isFalse();
        assertThat(a.tryAcquire("owned", Duration.ofSeconds(30))).as("the new owner still holds it").isEmpty();
        assertThat(taken.release()).isTrue();
        assertThat(taken.release()).as("releasing twice is harmless").isFalse();
    }

    @Test
    void theWatchdogKeepsALongTasksLockAndLetsGoAfter() throws Exception {
        RedisLocks worker = process();
        RedisLocks other = process();
        Duration lease = Duration.ofMillis(300);
        List<Boolean> othersGotIt = new CopyOnWriteArrayList<>();
        String result = worker.runExclusively("long-task", lease, Duration.ZERO, held -> {
            long until = System.nanoTime() + Duration.ofMillis(1_500).toNanos(); // five leases
            while (System.nanoTime() < until) {
                Optional<HeldLock> stolen = other.tryAcquire("long-task", lease);
                othersGotIt.add(stolen.isPresent());
                stolen.ifPresent(HeldLock::release);
                sleep(50);
            }
            assertThat(held.isLost()).isFalse();
            return "done with token " + held.fencingToken();
        });
        assertThat(result).startsWith("done");
        assertThat(othersGotIt).hasSizeGreaterThan(5).doesNotContain(true);
        assertThat(other.tryAcquire("long-task", lease)).as("released after the work").isPresent();
    }

    @Test
    void aCrashedOwnersLockExpiresAfterItsLease() throws Exception {
        RedisLocks crashed = process();
        RedisLocks survivor = process();
        assertThat(crashed.tryAcquire("crash", Duration.ofMillis(400))).isPresent(); // never released, never extended
        assertThat(survivor.tryAcquire("crash", Duration.ofSeconds(10))).isEmpty();
        crashed.close(); // the process is gone

        long start = System.nanoTime();
        HeldLock taken = survivor.acquire("crash", Duration.ofSeconds(10), Duration.ofSeconds(10));
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(taken.fencingToken()).isEqualTo(2);
        assertThat(waitedMillis).as("freed by expiry, not at once").isGreaterThan(100);
    }

    @Test
    void aLockLostDuringAPauseIsReportedLostAndItsTokenIsStale() throws Exception {
        RedisLocks paused = process();
        RedisLocks next = process();
        HeldLock first = paused.tryAcquire("paused", Duration.ofMillis(200)).orElseThrow();
        HeldLock second = next.acquire("paused", Duration.ofSeconds(10), Duration.ofSeconds(10)); // after the expiry
        assertThat(first.extend(Duration.ofSeconds(10))).as("the paused owner wakes up").isFalse();
        assertThat(first.isLost()).isTrue();
        assertThat(second.fencingToken()).as("what the resource must compare").isGreaterThan(first.fencingToken());
    }

    @Test
    void fencingTokensStrictlyIncreaseAcrossOwners() throws Exception {
        List<RedisLocks> processes = List.of(process(), process(), process());
        List<Long> tokens = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            try (HeldLock held = processes.get(i % 3).acquire("fenced", Duration.ofSeconds(5), Duration.ofSeconds(5))) {
                tokens.add(held.fencingToken());
            }
        }
        for (int i = 1; i < tokens.size(); i++) {
            assertThat(tokens.get(i)).isGreaterThan(tokens.get(i - 1));
        }
        // a failed attempt hands out no token: the next success is the next number
        HeldLock held = processes.get(0).tryAcquire("fenced", Duration.ofSeconds(5)).orElseThrow();
        assertThat(processes.get(1).tryAcquire("fenced", Duration.ofSeconds(5))).isEmpty();
        held.release();
        assertThat(processes.get(1).tryAcquire("fenced", Duration.ofSeconds(5)).orElseThrow().fencingToken())
                .isEqualTo(held.fencingToken() + 1);
    }

    @Test
    void waitingOutTheWaitIsAClearFailure() throws Exception {
        RedisLocks a = process();
        a.tryAcquire("busy", Duration.ofSeconds(30)).orElseThrow();
        assertThatThrownBy(() -> process().acquire("busy", Duration.ofSeconds(1), Duration.ofMillis(200)))
                .isInstanceOf(LockNotAcquiredException.class)
                .hasMessageContaining("lock busy is held by another owner; waited 200 ms");
    }

    @Test
    void badInputIsRefusedWithAReason() {
        RedisLocks locks = process();
        assertThatThrownBy(() -> locks.tryAcquire(" ", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a lock name is");
        assertThatThrownBy(() -> locks.tryAcquire("ok", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a lease must be at least 1 ms");
        RedisLockFactory factory = new RedisLockFactory();
        factory.setUri(URI.create("http://127.0.0.1:6379"));
        assertThatThrownBy(factory::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lock.uri must look like redis://host:port");
    }

    @Test
    void aRedisThatIsDownIsLockUnavailableNotAFreeLock() {
        RedisLockFactory factory = new RedisLockFactory();
        factory.setUri(URI.create("redis://127.0.0.1:" + FreePorts.next()));
        factory.setTimeout(io.dropwizard.util.Duration.milliseconds(500));
        try (RedisLocks locks = factory.build()) {
            assertThatThrownBy(() -> locks.tryAcquire("anything", Duration.ofSeconds(1)))
                    .isInstanceOf(LockUnavailableException.class)
                    .hasMessageContaining("lock anything: Redis cannot be reached");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
