package dev.wizmesh.user.db;

import java.util.UUID;

public record WalletRow(UUID userId, long balanceCents, String currency) {
}
