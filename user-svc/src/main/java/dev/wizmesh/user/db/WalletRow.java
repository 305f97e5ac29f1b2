package dev.wizmesh.user.db;

import java.util.UUID;

/** A wallet: {@code balanceCents} is spendable, {@code heldCents} is set aside by open TCC holds. */
public record WalletRow(UUID userId, long balanceCents, long heldCents, String currency) {
}
