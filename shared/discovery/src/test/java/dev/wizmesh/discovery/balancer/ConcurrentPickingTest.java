package dev.wizmesh.discovery.balancer;

import static dev.wizmesh.discovery.balancer.TestInstances.instance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wizmesh.discovery.ServiceInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many threads choosing and completing at once, through the whole chooser, with the catalog
 * changing under them: nothing throws, and every in-flight count returns to zero.
 */
class ConcurrentPickingTest {
    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 20_000;

    private final List<ServiceInstance> full = List.of(instance("a"), instance("b"), instance("c"), instance("d"));
    private final List<ServiceInstance> shrunk = full.subList(0, 2);
    private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void leastOutstandingCountsReturnToZero() throws Exception {
        LeastOutstandingBalancer balancer = new LeastOutstandingBalancer();

        hammer(balancer);

        full.forEach(instance -> assertThat(balancer.outstanding(instance)).isZero());
    }

    @Test
    void peakEwmaCountsReturnToZero() throws Exception {
        PeakEwmaBalancer balancer = new PeakEwmaBalancer(Duration.ofSeconds(10));

        hammer(balancer);

        full.forEach(instance -> assertThat(balancer.outstanding(instance)).isZero());
    }

    private void hammer(LoadBalancer balancer) throws Exception {
        InstanceChooser chooser = new InstanceChooser(InstanceFilters.up(), new OutlierDetectorFactory().build(), balancer);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger chosen = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Random random = new Random(t); // each thread's own workload; the interleaving is the scheduler's
            workers.add(threads.submit(() -> {
                start.await();
                for (int i = 0; i < CALLS_PER_THREAD; i++) {
                    List<ServiceInstance> catalog = random.nextInt(10) == 0 ? shrunk : full;
                    chooser.choose(catalog).ifPresent(pick -> {
                        chosen.incrementAndGet();
                        try (pick) {
                            if (random.nextInt(20) != 0) { // one call in 20 "throws" and is only closed
                                pick.complete(Duration.ofMillis(random.nextInt(1, 50)), random.nextInt(10) != 0);
                            }
                        }
                    });
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> worker : workers) {
            worker.get(60, TimeUnit.SECONDS);
        }
        assertThat(chosen).hasValue(THREADS * CALLS_PER_THREAD); // ejection alone never empties the pool
    }
}
