package dev.wizmesh.user.db;

import java.time.Instant;
import java.util.UUID;

public record TenantRow(UUID id, String name, Instant createdAt) {
}
