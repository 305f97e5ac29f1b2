package dev.wizmesh.platform.requestid;

import dev.wizmesh.platform.logging.LogFields;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Gives every request an id: the client's {@code X-Request-ID} when well-formed, a new UUID
 * otherwise. The id is echoed on the response, kept as a request attribute for code that has
 * the request, and put in the logging MDC so every log line of the request carries it.
 */
public class RequestIdFilter implements Filter {
    public static final String ATTRIBUTE = RequestIdFilter.class.getName();
    private static final Logger LOG = LoggerFactory.getLogger(RequestIdFilter.class);

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String incoming = request.getHeader(RequestIds.HEADER);
        String requestId = RequestIds.acceptOrGenerate(incoming);
        if (incoming != null && !incoming.equals(requestId)) {
            LOG.debug("replaced a malformed {} header ({} chars)", RequestIds.HEADER, incoming.length());
        }
        request.setAttribute(ATTRIBUTE, requestId);
        ((HttpServletResponse) res).setHeader(RequestIds.HEADER, requestId);
        String previous = MDC.get(LogFields.REQUEST_ID);
        MDC.put(LogFields.REQUEST_ID, requestId);
        try {
            chain.doFilter(req, res);
        } finally {
            restore(previous);
        }
    }

    private static void restore(String previous) {
        if (previous == null) {
            MDC.remove(LogFields.REQUEST_ID);
        } else {
            MDC.put(LogFields.REQUEST_ID, previous);
        }
    }
}
