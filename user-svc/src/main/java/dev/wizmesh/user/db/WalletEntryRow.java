package dev.wizmesh.user.db;

import java.time.Instant;
import java.util.UUID;

/** One line of the wallet ledger. */
public record WalletEntryRow(UUID id, UUID userId, long amountCents, String kind, String idempotencyKey,
                             long balanceAfter, Instant createdAt) {
}
