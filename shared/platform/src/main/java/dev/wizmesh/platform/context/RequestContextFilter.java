package dev.wizmesh.platform.context;

import dev.wizmesh.platform.errors.ErrorResponses;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.platform.logging.LogFields;
import dev.wizmesh.platform.requestid.RequestIdFilter;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.MDC;

/**
 * Reads the caller headers the gateway set into a {@link RequestContext} for the request's
 * thread, and puts tenant and user into the logging MDC. Services sit behind the gateway, which
 * strips client-sent copies of these headers, so here they are trusted; a malformed value still
 * gets a 400 rather than reaching a query.
 */
public class RequestContextFilter implements Filter {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,64}");
    private final ObjectMapper mapper;

    public RequestContextFilter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String tenantId = request.getHeader(RequestContext.TENANT_HEADER);
        String userId = request.getHeader(RequestContext.USER_HEADER);
        String roles = request.getHeader(RequestContext.ROLES_HEADER);
        String bad = !valid(tenantId) ? RequestContext.TENANT_HEADER
                : !valid(userId) ? RequestContext.USER_HEADER
                : roles != null && roles.length() > 1024 ? RequestContext.ROLES_HEADER : null;
        if (bad != null) {
            reject((HttpServletResponse) res, bad);
            return;
        }
        RequestContext context = new RequestContext(
                (String) request.getAttribute(RequestIdFilter.ATTRIBUTE), tenantId, userId, parseRoles(roles));
        putOrRemove(LogFields.TENANT_ID, tenantId);
        putOrRemove(LogFields.USER_ID, userId);
        try (RequestContext.Scope ignored = context.attach()) {
            chain.doFilter(req, res);
        } finally {
            MDC.remove(LogFields.TENANT_ID);
            MDC.remove(LogFields.USER_ID);
        }
    }

    static Set<String> parseRoles(String header) {
        if (header == null || header.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(header.split(",")).map(String::trim).filter(r -> !r.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static boolean valid(String id) {
        return id == null || ID.matcher(id).matches();
    }

    private static void putOrRemove(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    private void reject(HttpServletResponse response, String header) throws IOException {
        ErrorResponses.write(response, mapper, ErrorCode.BAD_REQUEST,
                Map.of("reason", "malformed " + header + " header", "header", header));
    }
}
