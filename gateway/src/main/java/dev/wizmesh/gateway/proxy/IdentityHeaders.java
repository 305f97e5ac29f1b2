package dev.wizmesh.gateway.proxy;

import dev.wizmesh.gateway.auth.Caller;
import dev.wizmesh.platform.context.RequestContext;
import java.util.Set;
import org.eclipse.jetty.http.HttpFields;

/**
 * The caller headers services trust: {@code X-Tenant-ID}, {@code X-User-ID},
 * {@code X-User-Roles}. The gateway is the only place that may set them, from the
 * {@link Caller} a verified token gives. A client's copies never pass, whatever their spelling:
 * any letter case, underscores for dashes ({@code x_tenant_id}), sent twice, or named in
 * {@code Connection:}. The check compares {@link HeaderNames#canonical canonical} names, so
 * there is no spelling left to try.
 */
public final class IdentityHeaders {
    private static final Set<String> CANONICAL = Set.of(
            HeaderNames.canonical(RequestContext.TENANT_HEADER),
            HeaderNames.canonical(RequestContext.USER_HEADER),
            HeaderNames.canonical(RequestContext.ROLES_HEADER));

    private IdentityHeaders() {
    }

    /** True for every spelling of an identity header. */
    public static boolean isIdentityHeader(String name) {
        return CANONICAL.contains(HeaderNames.canonical(name));
    }

    /** Sets the headers from a verified caller; does nothing for an anonymous request (public route). */
    public static void set(HttpFields.Mutable headers, Caller caller) {
        if (caller == null) {
            return;
        }
        if (caller.tenantId() != null) {
            headers.put(RequestContext.TENANT_HEADER, caller.tenantId());
        }
        if (caller.userId() != null) {
            headers.put(RequestContext.USER_HEADER, caller.userId());
        }
        if (!caller.roles().isEmpty()) {
            headers.put(RequestContext.ROLES_HEADER, String.join(",", caller.roles()));
        }
    }
}
