package dev.wizmesh.user.api;

import java.util.UUID;

public record SignupResponse(UUID tenantId, UUID adminUserId) {
}
