package dev.wizmesh.testing;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A caller that keeps looking something up (every 2 ms, on its own thread) while a test breaks
 * things, and counts the lookups that came back empty: "zero failed lookups during the outage".
 */
public final class LookupProbe implements AutoCloseable {
    private final AtomicInteger lookups = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final Thread caller;

    /** @param lookupSucceeds one lookup; false counts as a failed one */
    public LookupProbe(BooleanSupplier lookupSucceeds) {
        caller = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                lookups.incrementAndGet();
                if (!lookupSucceeds.getAsBoolean()) {
                    failed.incrementAndGet();
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "lookup-probe");
        caller.setDaemon(true);
        caller.start();
    }

    public int lookups() {
        return lookups.get();
    }

    public int failed() {
        return failed.get();
    }

    /** Stops looking up; the counts are final afterwards. */
    @Override
    public void close() throws InterruptedException {
        caller.interrupt();
        caller.join();
    }
}
