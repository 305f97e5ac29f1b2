package dev.wizmesh.platform.context;

import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling, for the request this thread is serving: the request id, and the tenant, user
 * and roles the gateway derived from the verified JWT ({@code X-Tenant-ID}, {@code X-User-ID},
 * {@code X-User-Roles}). Set by {@link RequestContextFilter}; carried to other threads and
 * outgoing calls by {@link ContextPropagation}.
 */
public record RequestContext(String requestId, String tenantId, String userId, Set<String> roles) {
    public static final String TENANT_HEADER = "X-Tenant-ID";
    public static final String USER_HEADER = "X-User-ID";
    public static final String ROLES_HEADER = "X-User-Roles";
    /** The role that administers a tenant: its users, catalogue and every order. */
    public static final String ADMIN_ROLE = "admin";

    private static final ThreadLocal<RequestContext> CURRENT = new ThreadLocal<>();

    public RequestContext {
        // insertion order kept: roles are forwarded in the order the gateway sent them
        roles = roles == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(roles));
    }

    /** The context of the request this thread is serving, if any. */
    public static Optional<RequestContext> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** The caller's tenant; a request without one did not come through the gateway: 401. */
    public static String requireTenantId() {
        return current().map(RequestContext::tenantId)
                .orElseThrow(() -> new ApiException(ErrorCode.UNAUTHENTICATED, Map.of()));
    }

    /** The calling user; a request without one did not come through the gateway: 401. */
    public static String requireUserId() {
        return current().map(RequestContext::userId)
                .orElseThrow(() -> new ApiException(ErrorCode.UNAUTHENTICATED, Map.of()));
    }

    /** The caller, who must hold {@code role}: 401 without a caller, 403 without the role. */
    public static RequestContext requireRole(String role) {
        RequestContext caller = current().filter(c -> c.userId() != null)
                .orElseThrow(() -> new ApiException(ErrorCode.UNAUTHENTICATED, Map.of()));
        if (!caller.hasRole(role)) {
            throw new ApiException(ErrorCode.FORBIDDEN, Map.of("requiredRole", role));
        }
        return caller;
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** Installs this context on the current thread until the returned scope is closed. */
    public Scope attach() {
        RequestContext previous = CURRENT.get();
        CURRENT.set(this);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /** Closes without a checked exception, for try-with-resources. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
