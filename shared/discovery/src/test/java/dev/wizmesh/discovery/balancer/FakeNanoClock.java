package dev.wizmesh.discovery.balancer;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A nanosecond clock that moves only when a test says so. It starts just before a {@code long}
 * wraps around, as {@link System#nanoTime()} may: code that compares times by their difference,
 * as it must, doesn't notice; code that compares them directly fails the tests.
 */
final class FakeNanoClock implements LongSupplier {
    private final AtomicLong now = new AtomicLong(Long.MAX_VALUE - Duration.ofMinutes(1).toNanos());

    @Override
    public long getAsLong() {
        return now.get();
    }

    void advance(Duration duration) {
        now.addAndGet(duration.toNanos());
    }
}
