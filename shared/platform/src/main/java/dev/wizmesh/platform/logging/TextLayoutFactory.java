package dev.wizmesh.platform.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.logging.common.DropwizardLayout;
import io.dropwizard.logging.common.layout.DiscoverableLayoutFactory;
import java.util.TimeZone;

/**
 * A plain-text layout selectable by name ({@code layout: {type: text}}), so that one YAML line
 * {@code type: ${LOG_FORMAT:-text}} switches an appender between text and Dropwizard's
 * {@code json} layout. The default pattern carries the request, trace and tenant ids.
 */
@JsonTypeName("text")
public class TextLayoutFactory implements DiscoverableLayoutFactory<ILoggingEvent> {
    public static final String DEFAULT_PATTERN =
            "%-5level [%d{ISO8601,UTC}] [%thread] %logger{36} req=%X{requestId:--} trace=%X{traceId:--} tenant=%X{tenantId:--}: %msg%n%rEx";

    @JsonProperty
    private String pattern = DEFAULT_PATTERN;

    @Override
    public LayoutBase<ILoggingEvent> build(LoggerContext context, TimeZone timeZone) {
        PatternLayout layout = new DropwizardLayout(context, timeZone);
        layout.setPattern(pattern);
        return layout;
    }
}
