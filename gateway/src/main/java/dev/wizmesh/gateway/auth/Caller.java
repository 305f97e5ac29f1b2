package dev.wizmesh.gateway.auth;

import java.util.List;

/**
 * Who a verified token says is calling: what the gateway forwards as {@code X-User-ID},
 * {@code X-Tenant-ID} and {@code X-User-Roles} (and nothing a client sent itself).
 */
public record Caller(String userId, String tenantId, List<String> roles) {
    public Caller {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }
}
