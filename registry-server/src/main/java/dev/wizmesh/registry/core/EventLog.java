package dev.wizmesh.registry.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The last N changes, in index order, and the listeners told of each new one. The history lets
 * a watcher that lost its stream resume from its last index without missing a change, as long
 * as the change is still in the window; otherwise it starts again from a snapshot.
 *
 * <p>Events are appended by {@link InstanceRegistry} while it holds its write lock, so the order
 * here is the index order. Listeners run on that thread and must not block.
 */
public class EventLog {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EventLog.class);
    private final int capacity;
    private final Deque<RegistryEvent> history = new ArrayDeque<>();
    private final List<Consumer<RegistryEvent>> listeners = new CopyOnWriteArrayList<>();

    public EventLog(int capacity) {
        this.capacity = capacity;
    }

    void append(RegistryEvent event) {
        synchronized (history) {
            history.addLast(event);
            if (history.size() > capacity) {
                history.removeFirst();
            }
        }
        for (Consumer<RegistryEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                // one broken listener must not keep the change from the others (watchers among them)
                LOG.error("a registry listener failed on event {}", event.index(), e);
            }
        }
    }

    /**
     * Every event after {@code index}, or empty when the history no longer reaches back that far
     * (the caller must then start from a snapshot).
     */
    public Optional<List<RegistryEvent>> since(long index, long currentIndex) {
        synchronized (history) {
            if (index == currentIndex) {
                return Optional.of(List.of());
            }
            if (index > currentIndex) {
                return Optional.empty(); // an index from before a registry restart
            }
            RegistryEvent oldest = history.peekFirst();
            if (oldest == null || oldest.index() > index + 1) {
                return Optional.empty();
            }
            List<RegistryEvent> out = new ArrayList<>();
            for (RegistryEvent e : history) {
                if (e.index() > index) {
                    out.add(e);
                }
            }
            return Optional.of(out);
        }
    }

    public void addListener(Consumer<RegistryEvent> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<RegistryEvent> listener) {
        listeners.remove(listener);
    }
}
