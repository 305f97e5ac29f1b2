package dev.wizmesh.discovery.catalog;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * go-micro's Watcher for the catalog: {@code next(timeout)} returns the next change (or empty),
 * {@code stop()} unsubscribes. Changes queue up between calls, so none is missed.
 */
public class CatalogWatcher implements AutoCloseable {
    private final ServiceCatalog catalog;
    private final BlockingQueue<CatalogEvent> queue = new LinkedBlockingQueue<>();
    private final Consumer<CatalogEvent> listener = queue::add;

    CatalogWatcher(ServiceCatalog catalog) {
        this.catalog = catalog;
        catalog.addListener(listener);
    }

    public Optional<CatalogEvent> next(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    public void stop() {
        catalog.removeListener(listener);
    }

    @Override
    public void close() {
        stop();
    }
}
