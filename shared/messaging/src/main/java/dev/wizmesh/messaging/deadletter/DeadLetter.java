package dev.wizmesh.messaging.deadletter;

/**
 * One message in a {@code <queue>.dlq}, as {@link DeadLetters#peek} shows it.
 *
 * @param messageId  the AMQP message-id (the event id for events from the outbox)
 * @param routingKey the routing key it was first published with (the event type)
 * @param attempts   deliveries made before it was dead-lettered
 * @param exception  the last failure's exception class
 * @param error      the last failure's message
 * @param deadLetteredAt when (ISO-8601)
 * @param body       the message body (the event envelope as JSON)
 */
public record DeadLetter(String messageId, String routingKey, long attempts, String exception, String error, String deadLetteredAt,
                         String body) {
}
