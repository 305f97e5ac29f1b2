package dev.wizmesh.gateway.proxy;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;

/**
 * The first filter on the gateway's application port: hides every spelling of the identity
 * headers from everything after it. On a service, the platform's request-context filter reads
 * {@code X-Tenant-ID} into the logging MDC and the request context; on the gateway those headers
 * come from the client and mean nothing, so they must not show up in the gateway's own logs as
 * if they were a verified tenant (nor fail a request as "malformed" when they are garbage).
 * The proxy strips them again when it builds the upstream request.
 */
public class IdentityHeaderGuard implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        chain.doFilter(new Hidden((HttpServletRequest) request), response);
    }

    private static final class Hidden extends HttpServletRequestWrapper {
        Hidden(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getHeader(String name) {
            return IdentityHeaders.isIdentityHeader(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return IdentityHeaders.isIdentityHeader(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                    .filter(name -> !IdentityHeaders.isIdentityHeader(name)).toList());
        }
    }
}
