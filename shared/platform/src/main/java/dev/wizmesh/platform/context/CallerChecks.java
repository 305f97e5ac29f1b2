package dev.wizmesh.platform.context;

import dev.wizmesh.platform.errors.ApiException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Who may call a resource method, declared on it ({@code @Member}, {@code @Admin}) and checked in
 * a request filter that every service gets from the platform bundle: before the body is read and
 * validated, so a caller without the right gets 401 or 403, never a 400 or 422 that would tell
 * it how to shape a request it may not make anyway.
 */
public final class CallerChecks implements DynamicFeature {

    /** Any user of the tenant (a request that came through the gateway): 401 otherwise. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    public @interface Member {
    }

    /** A user with the {@code admin} role: 401 without a user, 403 without the role. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    public @interface Admin {
    }

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        if (resource.getResourceMethod().isAnnotationPresent(Admin.class)) {
            context.register(new AdminFilter());
        } else if (resource.getResourceMethod().isAnnotationPresent(Member.class)) {
            context.register(new MemberFilter());
        }
    }

    @Priority(Priorities.AUTHORIZATION)
    static final class MemberFilter implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            refuseUnless(request, () -> {
                RequestContext.requireUserId();
                RequestContext.requireTenantId();
            });
        }
    }

    @Priority(Priorities.AUTHORIZATION)
    static final class AdminFilter implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            refuseUnless(request, () -> {
                RequestContext.requireRole(RequestContext.ADMIN_ROLE);
                RequestContext.requireTenantId();
            });
        }
    }

    /** More than any normal body: a refused caller's larger body is not read to its end. */
    private static final int MAX_DRAINED = 64 * 1024;

    /**
     * Runs the check; when it refuses, reads and drops the body first (up to {@link #MAX_DRAINED}).
     * Answering with the body unread makes Jetty close the connection, and a client that pooled
     * it (the gateway) would fail its next request on it.
     */
    private static void refuseUnless(ContainerRequestContext request, Runnable check) {
        try {
            check.run();
        } catch (ApiException refused) {
            if (request.hasEntity()) {
                try (InputStream body = request.getEntityStream()) {
                    byte[] buffer = new byte[8192];
                    int drained = 0;
                    for (int n; drained < MAX_DRAINED && (n = body.read(buffer)) >= 0; ) {
                        drained += n;
                    }
                } catch (IOException e) {
                    refused.addSuppressed(e);
                }
            }
            throw refused;
        }
    }
}
