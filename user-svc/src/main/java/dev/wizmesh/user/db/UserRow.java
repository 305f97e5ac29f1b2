package dev.wizmesh.user.db;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A row of {@code users}, as the DAO reads it (with the hash: never hand this to a client). */
public record UserRow(UUID id, UUID tenantId, String email, String passwordHash, String displayName,
                      List<String> roles, String status, Instant createdAt, Instant updatedAt) {
}
