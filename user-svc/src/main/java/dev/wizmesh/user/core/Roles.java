package dev.wizmesh.user.core;

import dev.wizmesh.platform.context.RequestContext;
import java.util.Set;

/** The roles a user can hold. {@code admin} administers the tenant; {@code user} is everyone else. */
public final class Roles {
    public static final String ADMIN = RequestContext.ADMIN_ROLE;
    public static final String USER = "user";
    public static final Set<String> ALL = Set.of(ADMIN, USER);

    private Roles() {
    }
}
