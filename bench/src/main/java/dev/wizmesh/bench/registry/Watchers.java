package dev.wizmesh.bench.registry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * N watch streams on one shared HttpClient, read asynchronously (no thread per stream). Each
 * data line is handed to a callback with the time it arrived.
 */
final class Watchers implements AutoCloseable {
    private final List<Flow.Subscription> subscriptions = new ArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();

    Watchers(URI watchUri, int count, BiConsumer<String, Long> onData) throws InterruptedException {
        CountDownLatch snapshots = new CountDownLatch(count);
        Map<Integer, Boolean> seenSnapshot = new ConcurrentHashMap<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            Flow.Subscriber<String> lines = new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription subscription) {
                    synchronized (subscriptions) {
                        subscriptions.add(subscription);
                    }
                    subscription.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(String line) {
                    long now = System.nanoTime();
                    if (line.startsWith("event: SNAPSHOT") || line.startsWith("event:SNAPSHOT")) {
                        if (seenSnapshot.putIfAbsent(n, true) == null) {
                            snapshots.countDown();
                        }
                    } else if (line.startsWith("data:")) {
                        onData.accept(line, now);
                    }
                }

                @Override
                public void onError(Throwable throwable) {
                }

                @Override
                public void onComplete() {
                }
            };
            client.sendAsync(HttpRequest.newBuilder(watchUri).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.fromLineSubscriber(lines));
        }
        if (!snapshots.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + (count - snapshots.getCount()) + " of " + count + " watchers connected");
        }
    }

    @Override
    public void close() {
        synchronized (subscriptions) {
            subscriptions.forEach(Flow.Subscription::cancel);
        }
    }
}
