package dev.wizmesh.registry;

import ch.qos.logback.access.common.spi.IAccessEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.logging.common.filter.FilterFactory;

/**
 * An access-log filter ({@code filterFactories: [{type: skip-renewed-heartbeats}]} on a
 * {@code requestLog} appender) that leaves out heartbeats answered 200. 10,000 instances
 * heartbeating every 10 s would write 1,000 lines a second saying only "lease renewed", which
 * {@code registry_heartbeats_total} already counts; a failed heartbeat (401, 404, 5xx) is still
 * logged, as is every other call.
 */
@JsonTypeName("skip-renewed-heartbeats")
public class SkipRenewedHeartbeatsFilterFactory implements FilterFactory<IAccessEvent> {
    @Override
    public Filter<IAccessEvent> build() {
        return new Filter<>() {
            @Override
            public FilterReply decide(IAccessEvent event) {
                return event.getStatusCode() == 200 && "PUT".equals(event.getMethod())
                        && event.getRequestURI().endsWith("/heartbeat") ? FilterReply.DENY : FilterReply.NEUTRAL;
            }
        };
    }
}
