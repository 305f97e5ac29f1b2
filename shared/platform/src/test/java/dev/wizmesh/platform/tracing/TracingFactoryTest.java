package dev.wizmesh.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TracingFactoryTest {

    @ParameterizedTest
    @ValueSource(strings = {"none", "console", "otlp", "zipkin"})
    void everyDocumentedExporterBuilds(String exporter) {
        TracingFactory factory = new TracingFactory();
        factory.setExporter(exporter);
        // a port nothing listens on: building must not need the collector to be up
        factory.setEndpoint("zipkin".equals(exporter) ? "http://127.0.0.1:1/api/v2/spans" : "http://127.0.0.1:1");
        OpenTelemetrySdk sdk = factory.build("test-svc");
        Span span = sdk.getTracer("test").spanBuilder("probe").startSpan();
        assertThat(span.getSpanContext().isValid()).isTrue();
        span.end();
        sdk.shutdown().join(10, TimeUnit.SECONDS);
    }

    @Test
    void yamlValuesBecomeOtelProperties() {
        TracingFactory factory = new TracingFactory();
        factory.setExporter("zipkin");
        factory.setEndpoint("http://zipkin:9411/api/v2/spans");
        factory.setRatio(0.25);
        factory.setProperties(Map.of("otel.bsp.schedule.delay", "100"));
        Map<String, String> props = factory.toOtelProperties("order-svc");
        assertThat(props)
                .containsEntry("otel.service.name", "order-svc")
                .containsEntry("otel.traces.exporter", "zipkin")
                .containsEntry("otel.exporter.zipkin.endpoint", "http://zipkin:9411/api/v2/spans")
                .containsEntry("otel.traces.sampler", "parentbased_traceidratio")
                .containsEntry("otel.traces.sampler.arg", "0.25")
                .containsEntry("otel.propagators", "tracecontext,baggage")
                .containsEntry("otel.bsp.schedule.delay", "100");
    }

    @Test
    void theSamplerRatioIsHonoured() {
        TracingFactory factory = new TracingFactory();
        factory.setRatio(0.0);
        OpenTelemetrySdk sdk = factory.build("test-svc");
        Span span = sdk.getTracer("test").spanBuilder("dropped").startSpan();
        assertThat(span.getSpanContext().isSampled()).isFalse();
        span.end();
        sdk.shutdown().join(10, TimeUnit.SECONDS);
    }
}
