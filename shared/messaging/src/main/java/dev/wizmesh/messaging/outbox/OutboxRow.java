package dev.wizmesh.messaging.outbox;

import java.util.UUID;

/**
 * A claimed outbox row, as the relay publishes it.
 *
 * @param payload the envelope JSON, published as the message body unchanged
 * @param headers AMQP headers as a JSON object (traceparent)
 */
public record OutboxRow(UUID id, long seq, UUID tenantId, String aggregateId, String type, String payload, String headers,
                        int attempts) {
}
