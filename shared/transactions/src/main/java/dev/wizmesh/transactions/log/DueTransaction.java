package dev.wizmesh.transactions.log;

import java.util.UUID;

/** What the recovery scan reads of another tenant's transaction: which one, nothing more. */
public record DueTransaction(UUID id, UUID tenantId) {
}
