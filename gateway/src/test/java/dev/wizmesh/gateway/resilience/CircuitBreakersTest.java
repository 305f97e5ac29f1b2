package dev.wizmesh.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CircuitBreakersTest {
    @Test
    void opensOnFailuresRefusesAtOnceAndRecoversThroughHalfOpen() throws Exception {
        CircuitBreakerFactory factory = new CircuitBreakerFactory();
        factory.defaults.slidingWindowSize = 4;
        factory.defaults.minimumNumberOfCalls = 4;
        factory.defaults.waitInOpenState = io.dropwizard.util.Duration.milliseconds(200);
        factory.defaults.permittedCallsInHalfOpenState = 1;
        PrometheusRegistry metrics = new PrometheusRegistry();
        CircuitBreakers breakers = factory.build(metrics);
        CircuitBreaker breaker = breakers.forService("product-svc");
        assertThat(breakers.forService("product-svc")).isSameAs(breaker);

        for (int i = 0; i < 4; i++) {
            assertThat(breaker.tryAcquirePermission()).isTrue();
            breaker.onError(5, TimeUnit.MILLISECONDS, new RuntimeException("down"));
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.tryAcquirePermission()).isFalse();
        assertThat(breakers.states()).isEqualTo(Map.of("product-svc", "OPEN"));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (breaker.getState() != CircuitBreaker.State.HALF_OPEN && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(breaker.tryAcquirePermission()).isTrue();
        breaker.onSuccess(5, TimeUnit.MILLISECONDS);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);

        ByteArrayOutputStream text = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(text, metrics.scrape());
        assertThat(text.toString())
                .contains("gateway_circuit_breaker_state{service=\"product-svc\",state=\"closed\"} 1.0")
                .contains("gateway_circuit_breaker_calls_total{outcome=\"rejected\",service=\"product-svc\"} 1.0")
                .contains("gateway_circuit_breaker_transitions_total{service=\"product-svc\",to=\"open\"} 1.0");
    }

    @Test
    void perServiceSettingsOverrideTheDefaults() {
        CircuitBreakerFactory factory = new CircuitBreakerFactory();
        CircuitBreakerFactory.Settings strict = new CircuitBreakerFactory.Settings();
        strict.failureRateThreshold = 10;
        factory.defaults.slidingWindowSize = 30;
        factory.services = Map.of("order-svc", strict);
        assertThat(factory.configFor("order-svc").getFailureRateThreshold()).isEqualTo(10f);
        assertThat(factory.configFor("order-svc").getSlidingWindowSize()).as("from defaults").isEqualTo(30);
        assertThat(factory.configFor("order-svc").getMinimumNumberOfCalls()).as("from the standard values").isEqualTo(10);
        assertThat(factory.configFor("user-svc").getFailureRateThreshold()).isEqualTo(50f);
    }
}
