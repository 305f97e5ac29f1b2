package dev.wizmesh.transactions;

import java.time.Duration;
import java.util.UUID;

/**
 * What a step's code gets besides the transaction's data: who is calling, which attempt, how long
 * it may take, and the idempotency key its participant must deduplicate on. The key is the same
 * for every attempt of one step and phase (also across a crash and recovery), so a participant
 * applies each at most once however often it is sent.
 */
public record StepCall(UUID transactionId, UUID tenantId, String step, Phase phase, int attempt, Duration timeout) {
    /** {@code <transaction id>:<step>:<phase>}: one per step and phase, stable across attempts. */
    public String idempotencyKey() {
        return transactionId + ":" + step + ":" + phase;
    }

    /** The global transaction id participants record (their fence's xid). */
    public String xid() {
        return transactionId.toString();
    }
}
