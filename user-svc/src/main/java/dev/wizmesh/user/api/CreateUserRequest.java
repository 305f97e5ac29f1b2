package dev.wizmesh.user.api;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** {@code POST /api/v1/users} (admin). Roles default to {@code ["user"]}. */
public record CreateUserRequest(
        @NotBlank @Email @Size(max = 254) String email,
        @NotNull @Size(min = 10, max = 72) String password,
        @Size(max = 200) String displayName,
        @Size(max = 2) List<@NotNull @Pattern(regexp = Patterns.ROLE, message = "must be admin or user") String> roles) {
}
