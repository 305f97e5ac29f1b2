package dev.wizmesh.platform;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;

/**
 * {@code tracing.exporter: memory} for tests: finished spans land in {@link #SPANS}. Found by the
 * OpenTelemetry autoconfiguration through META-INF/services, like any real exporter.
 */
public class MemorySpanExporterProvider implements ConfigurableSpanExporterProvider {
    public static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();

    @Override
    public String getName() {
        return "memory";
    }

    @Override
    public SpanExporter createExporter(ConfigProperties config) {
        // each app's SDK shuts its exporter down on stop; the shared one must outlive them
        return new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                return SPANS.export(spans);
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
    }
}
