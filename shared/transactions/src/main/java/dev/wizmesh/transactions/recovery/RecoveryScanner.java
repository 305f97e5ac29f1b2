package dev.wizmesh.transactions.recovery;

import dev.wizmesh.transactions.TransactionCoordinator;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resumes unfinished transactions: at start-up (what this instance's previous process left
 * running is taken over at once, as the lease names this instance) and then every
 * {@code interval} (what other instances left, once their leases ran out; and TCC second phases
 * parked for a later retry). Several instances may scan at once: the lease in the log decides
 * which one drives each transaction.
 */
public final class RecoveryScanner implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(RecoveryScanner.class);

    private final TransactionCoordinator coordinator;
    private final Duration interval;
    private final int batch;
    private ScheduledExecutorService timer;

    public RecoveryScanner(TransactionCoordinator coordinator, Duration interval, int batch) {
        this.coordinator = coordinator;
        this.interval = interval;
        this.batch = batch;
    }

    @Override
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tx-recovery");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::scanOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One round; failures (the database down) are logged and the next round tries again. */
    public int scanOnce() {
        try {
            int resumed = coordinator.recoverDue(batch);
            if (resumed > 0) {
                LOG.info("recovery: resuming {} transaction(s)", resumed);
            }
            return resumed;
        } catch (RuntimeException e) {
            LOG.warn("recovery scan failed ({}); next round in {} ms", e.getMessage(), interval.toMillis());
            return 0;
        }
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
