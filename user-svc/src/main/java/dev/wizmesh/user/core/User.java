package dev.wizmesh.user.core;

import dev.wizmesh.user.db.UserRow;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A user as clients see one: everything but the password hash. */
public record User(UUID id, UUID tenantId, String email, String displayName, List<String> roles, String status,
                   Instant createdAt, Instant updatedAt) {

    static User of(UserRow row) {
        return new User(row.id(), row.tenantId(), row.email(), row.displayName(), row.roles(), row.status(),
                row.createdAt(), row.updatedAt());
    }
}
