package dev.wizmesh.messaging.connection;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import java.util.function.Supplier;

/**
 * The messaging counters, as Dropwizard metrics with Prometheus names (the platform bridges the Dropwizard
 * registry to {@code /metrics/prometheus}, where a Dropwizard counter named {@code x_total} is the Prometheus
 * counter {@code x_total}):
 *
 * <ul>
 *   <li>{@code messaging_amqp_connected} gauge: 1 connected, 0 not</li>
 *   <li>{@code messaging_published_total}: messages handed to the broker (events, retries, dead letters)</li>
 *   <li>{@code messaging_confirmed_total}: of those, confirmed (acked) by the broker</li>
 *   <li>{@code messaging_nacked_total}: of those, nacked, timed out or lost with the channel (published again later)</li>
 *   <li>{@code messaging_consumed_total}: deliveries handled successfully</li>
 *   <li>{@code messaging_duplicates_total}: deliveries already processed (acked without running the handler)</li>
 *   <li>{@code messaging_retried_total}: failed deliveries scheduled for another attempt</li>
 *   <li>{@code messaging_dead_lettered_total}: deliveries moved to a {@code .dlq} queue</li>
 * </ul>
 *
 * <p>Registering twice on one registry (two connections in one app) shares the counters instead of failing.
 */
public final class MessagingMetrics {
    private final Counter published;
    private final Counter confirmed;
    private final Counter nacked;
    private final Counter consumed;
    private final Counter duplicates;
    private final Counter retried;
    private final Counter deadLettered;

    public MessagingMetrics(MetricRegistry registry) {
        published = registry.counter("messaging_published_total");
        confirmed = registry.counter("messaging_confirmed_total");
        nacked = registry.counter("messaging_nacked_total");
        consumed = registry.counter("messaging_consumed_total");
        duplicates = registry.counter("messaging_duplicates_total");
        retried = registry.counter("messaging_retried_total");
        deadLettered = registry.counter("messaging_dead_lettered_total");
    }

    /** A registry of its own, for code that runs without a Dropwizard environment (tests, tools). */
    public static MessagingMetrics unregistered() {
        return new MessagingMetrics(new MetricRegistry());
    }

    void connectedGauge(MetricRegistry registry, Supplier<ConnectionState> state) {
        registry.gauge("messaging_amqp_connected", () -> (Gauge<Integer>) () -> state.get() == ConnectionState.CONNECTED ? 1 : 0);
    }

    public Counter published() {
        return published;
    }

    public Counter confirmed() {
        return confirmed;
    }

    public Counter nacked() {
        return nacked;
    }

    public Counter consumed() {
        return consumed;
    }

    public Counter duplicates() {
        return duplicates;
    }

    public Counter retried() {
        return retried;
    }

    public Counter deadLettered() {
        return deadLettered;
    }
}
