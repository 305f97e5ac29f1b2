package dev.wizmesh.user.api;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** {@code POST /api/v1/tenants}: a new tenant and its first admin. */
public record SignupRequest(
        @NotBlank @Size(max = 200) String name,
        @NotBlank @Email @Size(max = 254) String adminEmail,
        @NotNull @Size(min = 10, max = 72) String adminPassword) {
}
