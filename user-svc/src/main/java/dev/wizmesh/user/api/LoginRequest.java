package dev.wizmesh.user.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** {@code POST /api/v1/auth/login}. No minimum on the password here: a login only compares. */
public record LoginRequest(
        @NotBlank @Pattern(regexp = Patterns.UUID, message = "must be a UUID") String tenantId,
        @NotBlank @Size(max = 254) String email,
        @NotNull @Size(max = 1024) String password) {
}
