package dev.wizmesh.user.api;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** {@code PATCH /api/v1/users/{id}} (admin): only the fields present change. */
public record UpdateUserRequest(
        @Size(max = 200) String displayName,
        @Size(min = 1, max = 2) List<@NotNull @Pattern(regexp = Patterns.ROLE, message = "must be admin or user") String> roles,
        @Pattern(regexp = Patterns.SETTABLE_STATUS, message = "must be ACTIVE or DISABLED") String status,
        @Size(min = 10, max = 72) String password) {
}
