package dev.wizmesh.platform.tracing;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code tracing:} block of a service's YAML. {@link #build(String)} hands these values to
 * the OpenTelemetry SDK's autoconfiguration as defaults, so the standard {@code OTEL_*}
 * environment variables (and {@code -Dotel.*} properties) still win, as in any OTel SDK.
 *
 * <pre>
 * tracing:
 *   serviceName: product-svc          # otel.service.name
 *   exporter: none                    # none | console | otlp | zipkin (otel.traces.exporter)
 *   endpoint: http://localhost:4318   # the OTLP or Zipkin endpoint
 *   sampler: parentbased_traceidratio # otel.traces.sampler
 *   ratio: 1.0                        # otel.traces.sampler.arg
 *   properties: {}                    # any other otel.* property
 * </pre>
 */
public class TracingFactory {
    private String serviceName;

    @NotEmpty
    private String exporter = "none";

    private String endpoint;

    @NotEmpty
    private String sampler = "parentbased_traceidratio";

    @DecimalMin("0.0")
    @DecimalMax("1.0")
    private double ratio = 1.0;

    @NotNull
    private Map<String, String> properties = new HashMap<>();

    @JsonProperty
    public String getServiceName() {
        return serviceName;
    }

    @JsonProperty
    public void setServiceName(String serviceName) {
        this.serviceName = serviceName;
    }

    @JsonProperty
    public String getExporter() {
        return exporter;
    }

    @JsonProperty
    public void setExporter(String exporter) {
        this.exporter = exporter;
    }

    @JsonProperty
    public String getEndpoint() {
        return endpoint;
    }

    @JsonProperty
    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    @JsonProperty
    public String getSampler() {
        return sampler;
    }

    @JsonProperty
    public void setSampler(String sampler) {
        this.sampler = sampler;
    }

    @JsonProperty
    public double getRatio() {
        return ratio;
    }

    @JsonProperty
    public void setRatio(double ratio) {
        this.ratio = ratio;
    }

    @JsonProperty
    public Map<String, String> getProperties() {
        return properties;
    }

    @JsonProperty
    public void setProperties(Map<String, String> properties) {
        this.properties = properties;
    }

    /** The otel.* properties this block stands for; env vars and system properties override them. */
    public Map<String, String> toOtelProperties(String defaultServiceName) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("otel.service.name", serviceName == null || serviceName.isBlank() ? defaultServiceName : serviceName);
        props.put("otel.traces.exporter", exporter);
        props.put("otel.traces.sampler", sampler);
        props.put("otel.traces.sampler.arg", Double.toString(ratio));
        props.put("otel.propagators", "tracecontext,baggage");
        // OTLP over HTTP (port 4318), which every collector speaks; gRPC with otel.exporter.otlp.protocol=grpc
        props.put("otel.exporter.otlp.protocol", "http/protobuf");
        // metrics go to Prometheus and logs to logback; OTel only carries traces here
        props.put("otel.metrics.exporter", "none");
        props.put("otel.logs.exporter", "none");
        if (endpoint != null && !endpoint.isBlank()) {
            if ("zipkin".equals(exporter)) {
                props.put("otel.exporter.zipkin.endpoint", endpoint);
            } else {
                props.put("otel.exporter.otlp.endpoint", endpoint);
            }
        }
        props.putAll(properties);
        return props;
    }

    /** A tracer provider of this service's own (not the global one: tests run several apps per JVM). */
    public OpenTelemetrySdk build(String defaultServiceName) {
        Map<String, String> props = toOtelProperties(defaultServiceName);
        return AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> props)
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
    }
}
