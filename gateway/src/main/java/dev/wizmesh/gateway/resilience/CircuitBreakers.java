package dev.wizmesh.gateway.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.TreeMap;

/**
 * One circuit breaker per upstream service (Resilience4j), created on first use. The proxy asks
 * {@link CircuitBreaker#tryAcquirePermission()} before calling a service and reports each
 * outcome ({@code onSuccess}/{@code onError}, with the duration, so slow calls count too).
 *
 * <p>Metrics: {@code gateway_circuit_breaker_state{service,state}} (1 for the current state),
 * {@code gateway_circuit_breaker_calls_total{service,outcome}} (success, failure, rejected) and
 * {@code gateway_circuit_breaker_transitions_total{service,to}}.
 */
public final class CircuitBreakers {
    private final CircuitBreakerFactory factory;
    private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
    private final java.util.concurrent.ConcurrentHashMap<String, CircuitBreaker> breakers = new java.util.concurrent.ConcurrentHashMap<>();
    private final Counter calls;
    private final Counter transitions;

    CircuitBreakers(CircuitBreakerFactory factory, PrometheusRegistry metrics) {
        this.factory = factory;
        this.calls = Counter.builder().name("gateway_circuit_breaker_calls_total")
                .help("Calls through the gateway's circuit breakers by outcome")
                .labelNames("service", "outcome").register(metrics);
        this.transitions = Counter.builder().name("gateway_circuit_breaker_transitions_total")
                .help("Circuit breaker state changes").labelNames("service", "to").register(metrics);
        GaugeWithCallback.builder().name("gateway_circuit_breaker_state")
                .help("1 for each service's current circuit breaker state")
                .labelNames("service", "state")
                .callback(cb -> registry.getAllCircuitBreakers().forEach(b -> {
                    for (CircuitBreaker.State state : new CircuitBreaker.State[] {
                            CircuitBreaker.State.CLOSED, CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN}) {
                        cb.call(b.getState() == state ? 1 : 0, b.getName(), state.name().toLowerCase());
                    }
                }))
                .register(metrics);
    }

    public CircuitBreaker forService(String service) {
        // our own map: the listeners must be attached exactly once per breaker
        return breakers.computeIfAbsent(service, name -> {
            CircuitBreaker breaker = registry.circuitBreaker(service, factory.configFor(service));
            breaker.getEventPublisher()
                    .onSuccess(e -> calls.labelValues(service, "success").inc())
                    .onError(e -> calls.labelValues(service, "failure").inc())
                    .onCallNotPermitted(e -> calls.labelValues(service, "rejected").inc())
                    .onStateTransition(e -> transitions.labelValues(service,
                            e.getStateTransition().getToState().name().toLowerCase()).inc());
            return breaker;
        });
    }

    /** Every breaker's state, for the admin view. */
    public Map<String, String> states() {
        Map<String, String> states = new TreeMap<>();
        registry.getAllCircuitBreakers().forEach(b -> states.put(b.getName(), b.getState().name()));
        return states;
    }
}
