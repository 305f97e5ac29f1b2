package dev.wizmesh.grpc.context;

import io.grpc.Metadata;

/**
 * The metadata keys that carry the caller across a gRPC hop: the gRPC spelling of the HTTP
 * headers the gateway sets ({@code X-Request-ID}, {@code X-Tenant-ID}, {@code X-User-ID},
 * {@code X-User-Roles}; gRPC metadata keys are lower case).
 */
public final class CallerMetadata {
    public static final Metadata.Key<String> REQUEST_ID = key("x-request-id");
    public static final Metadata.Key<String> TENANT_ID = key("x-tenant-id");
    public static final Metadata.Key<String> USER_ID = key("x-user-id");
    /** Comma-separated, in the order the gateway sent them. */
    public static final Metadata.Key<String> USER_ROLES = key("x-user-roles");

    private CallerMetadata() {
    }

    private static Metadata.Key<String> key(String name) {
        return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
    }
}
