package dev.wizmesh.user.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** {@code POST /api/v1/users/{id}/wallet/credits} (admin), with an {@code Idempotency-Key} header. */
public record CreditRequest(@NotNull @Min(1) @Max(10_000_000_000L) Long amountCents) {
}
