package dev.wizmesh.messaging.event;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.util.HashMap;
import java.util.Map;

/**
 * The W3C {@code traceparent} of the current OpenTelemetry context, for an event raised inside a traced request:
 * the consumer can continue the same trace. Kept simple on purpose: the value travels in the envelope and as an
 * AMQP header; there is no span for the publish itself yet.
 */
public final class TraceParents {
    public static final String HEADER = "traceparent";

    private TraceParents() {
    }

    /** The current context's traceparent, or null when no span is current (or it is not sampled-valid). */
    public static String current() {
        Map<String, String> carrier = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(Context.current(), carrier, Map::put);
        return carrier.get(HEADER);
    }
}
