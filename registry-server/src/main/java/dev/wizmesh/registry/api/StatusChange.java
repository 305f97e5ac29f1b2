package dev.wizmesh.registry.api;

import dev.wizmesh.discovery.InstanceStatus;
import jakarta.validation.constraints.NotNull;

/** The body of {@code PUT .../status}: UP, DOWN, STARTING or OUT_OF_SERVICE (drain). */
public record StatusChange(@NotNull InstanceStatus status) {
}
