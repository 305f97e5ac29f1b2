package dev.wizmesh.platform.tracing;

import io.dropwizard.lifecycle.Managed;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's OpenTelemetry SDK as a managed object: shut down (and so flushed) when the
 * service stops, after the server has stopped taking requests.
 */
public class Tracing implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);
    private final OpenTelemetrySdk sdk;

    public Tracing(OpenTelemetrySdk sdk) {
        this.sdk = sdk;
    }

    public OpenTelemetry openTelemetry() {
        return sdk;
    }

    /** Exports every finished span now; for tests and for shutdown. */
    public void flush() {
        sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        if (!sdk.shutdown().join(10, TimeUnit.SECONDS).isSuccess()) {
            LOG.warn("OpenTelemetry SDK did not shut down cleanly within 10 s; some spans may be lost");
        }
    }
}
