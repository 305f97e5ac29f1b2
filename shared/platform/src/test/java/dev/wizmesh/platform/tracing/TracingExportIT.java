package dev.wizmesh.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Spans really leave the process, in each wire format, to a collector on a real socket. */
class TracingExportIT {
    private HttpServer collector;
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startCollector() throws Exception {
        collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/", exchange -> {
            java.io.InputStream in = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                in = new java.util.zip.GZIPInputStream(in); // the Zipkin sender compresses
            }
            byte[] body = in.readAllBytes();
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + new String(body, StandardCharsets.ISO_8859_1));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
    }

    @AfterEach
    void stopCollector() {
        collector.stop(0);
    }

    @ParameterizedTest
    @CsvSource({"zipkin, /api/v2/spans", "otlp, /v1/traces"})
    void exportsSpansToACollector(String exporter, String path) {
        TracingFactory factory = new TracingFactory();
        factory.setExporter(exporter);
        String base = "http://127.0.0.1:" + collector.getAddress().getPort();
        factory.setEndpoint("zipkin".equals(exporter) ? base + path : base);
        OpenTelemetrySdk sdk = factory.build("export-test");
        sdk.getTracer("test").spanBuilder("probe-span-" + exporter).startSpan().end();
        sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
        sdk.shutdown().join(10, TimeUnit.SECONDS);

        assertThat(received).anySatisfy(request -> assertThat(request)
                .startsWith("POST " + path).contains("probe-span-" + exporter).contains("export-test"));
    }
}
