package dev.wizmesh.registry;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.jetty.MutableServletContextHandler;
import io.dropwizard.request.logging.LogbackAccessRequestLogAwareHandler;
import io.dropwizard.request.logging.LogbackAccessRequestLogFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.component.ContainerLifeCycle;

/**
 * Dropwizard's access log ({@code logback-access}, configured the same way: {@code appenders})
 * that leaves out heartbeats answered 200 before their log event is even built:
 * {@code server.requestLog.type: skip-renewed-heartbeats}. 10,000 instances heartbeating every
 * 10 s would write 1,000 lines a second saying only "lease renewed", which
 * {@code registry_heartbeats_total} already counts; and building each access event (headers
 * copied into maps, request and response wrapped, the event queued to the async appender) costs
 * more than renewing the lease. A failed heartbeat (401, 404, 5xx) is still logged, as is every
 * other call.
 */
@JsonTypeName("skip-renewed-heartbeats")
public class SkipRenewedHeartbeatsRequestLogFactory extends LogbackAccessRequestLogFactory {
    @Override
    public RequestLog build(String name) {
        return new SkippingRenewedHeartbeats(super.build(name));
    }

    /**
     * The handler Dropwizard installs next to its own access log, which it recognises by class
     * name only (so not once wrapped): it hands the log the servlet request rather than Jetty's
     * core one. Installed the same way here, so the wrapped log sees what it would see unwrapped.
     * The application calls it when this factory is the configured one.
     */
    public static void installOn(MutableServletContextHandler applicationContext) {
        applicationContext.insertHandler(new LogbackAccessRequestLogAwareHandler());
    }

    /** {@code PUT /v1/services/{service}/instances/{id}/heartbeat} answered 200. */
    static boolean isRenewedHeartbeat(String method, String path, int status) {
        return status == 200 && "PUT".equals(method) && path != null
                && path.startsWith("/v1/services/") && path.endsWith("/heartbeat");
    }

    /** The logback-access log, started and stopped with this wrapper (its appenders flush on stop). */
    static final class SkippingRenewedHeartbeats extends ContainerLifeCycle implements RequestLog {
        private final RequestLog delegate;

        SkippingRenewedHeartbeats(RequestLog delegate) {
            this.delegate = delegate;
            addBean(delegate, true);
        }

        @Override
        public void log(Request request, Response response) {
            if (!isRenewedHeartbeat(request.getMethod(), request.getHttpURI().getPath(), response.getStatus())) {
                delegate.log(request, response);
            }
        }
    }
}
