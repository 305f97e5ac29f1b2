package dev.wizmesh.transactions.log;

import java.time.Instant;
import java.util.UUID;

/** One {@code tx_steps} row: a step's phase with its attempts; {@code elapsedMillis} since its first attempt. */
public record StepRow(UUID transactionId, int stepIndex, String phase, String name, String participant, String state,
                      int attempts, Instant startedAt, Instant endedAt, String error, long elapsedMillis) {
}
