package dev.wizmesh.platform.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wizmesh.platform.logging.LogFields;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class ContextPropagationTest {
    private final ExecutorService pool = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        pool.shutdownNow();
        MDC.clear();
    }

    @Test
    void tasksRunInTheSubmittersContextAndLeaveNothingBehind() throws Exception {
        RequestContext ctx = new RequestContext("req-1", "tenant-1", "user-1", Set.of("admin"));
        Future<String> seen;
        try (RequestContext.Scope ignored = ctx.attach()) {
            MDC.put(LogFields.REQUEST_ID, "req-1");
            seen = pool.submit(ContextPropagation.wrap(
                    () -> RequestContext.current().map(RequestContext::tenantId).orElse("none") + "/" + MDC.get(LogFields.REQUEST_ID)));
        }
        assertThat(seen.get()).isEqualTo("tenant-1/req-1");
        // the pool thread is clean again afterwards
        assertThat(pool.submit(() -> RequestContext.current().isPresent() + "/" + MDC.get(LogFields.REQUEST_ID)).get())
                .isEqualTo("false/null");
    }

    @Test
    void outgoingHeadersCarryCallerAndTrace() {
        SpanContext span = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
                TraceFlags.getSampled(), TraceState.getDefault());
        RequestContext ctx = new RequestContext("req-2", "t-2", "u-2", new LinkedHashSet<>(List.of("buyer", "admin")));
        Map<String, String> headers;
        try (RequestContext.Scope ignored = ctx.attach();
             Scope alsoIgnored = Context.root().with(Span.wrap(span)).makeCurrent()) {
            headers = ContextPropagation.outgoingHeaders();
        }
        assertThat(headers)
                .containsEntry("X-Request-ID", "req-2")
                .containsEntry("X-Tenant-ID", "t-2")
                .containsEntry("X-User-ID", "u-2")
                .containsEntry("X-User-Roles", "buyer,admin")
                .containsEntry("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    }

    @Test
    void noContextMeansNoCallerHeaders() {
        assertThat(ContextPropagation.outgoingHeaders()).isEmpty();
    }
}
