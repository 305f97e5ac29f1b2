package dev.wizmesh.platform.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;

/**
 * Names the server span after the matched route ({@code GET /api/v1/products/{id}}) and sets
 * {@code http.route}, once Jersey knows it: the servlet filter that opened the span cannot.
 */
public class HttpRouteListener implements ApplicationEventListener {
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");

    @Override
    public void onEvent(ApplicationEvent event) {
    }

    @Override
    public RequestEventListener onRequest(RequestEvent requestEvent) {
        return event -> {
            if (event.getType() == RequestEvent.Type.REQUEST_MATCHED) {
                String route = RouteTemplates.of(event.getUriInfo());
                Span span = Span.current();
                span.setAttribute(ROUTE, route);
                span.updateName(event.getContainerRequest().getMethod() + " " + route);
            }
        };
    }
}
