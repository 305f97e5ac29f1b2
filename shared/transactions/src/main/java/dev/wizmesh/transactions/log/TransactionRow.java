package dev.wizmesh.transactions.log;

import java.time.Instant;
import java.util.UUID;

/** One {@code tx_transactions} row; {@code remainingMillis} to its deadline is the database's arithmetic (its clock, not ours). */
public record TransactionRow(UUID id, UUID tenantId, String mode, String definition, String businessKey, String state,
                             String data, String failureCode, String failureMessage, Instant createdAt,
                             Instant updatedAt, Instant deadlineAt, String leaseOwner, Instant leaseUntil,
                             Instant nextRunAt, int recoveries, long remainingMillis) {
}
