package dev.wizmesh.platform.logging;

/**
 * The MDC keys every log line may carry. The filters set them for the duration of a request;
 * {@link dev.wizmesh.platform.context.ContextPropagation} carries them to other threads.
 */
public final class LogFields {
    public static final String REQUEST_ID = "requestId";
    public static final String TRACE_ID = "traceId";
    public static final String SPAN_ID = "spanId";
    public static final String TENANT_ID = "tenantId";
    public static final String USER_ID = "userId";

    private LogFields() {
    }
}
