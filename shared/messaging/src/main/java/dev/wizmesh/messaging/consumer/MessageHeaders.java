package dev.wizmesh.messaging.consumer;

import java.time.Instant;
import java.util.Map;

/**
 * The AMQP headers our consumers read and write. Only plain headers: no broker-specific arguments, so the same
 * code works on RabbitMQ and on Qpid.
 */
public final class MessageHeaders {
    /** which delivery attempt this copy is (1 = the original publish) */
    public static final String ATTEMPT = "x-wizmesh-attempt";
    /** epoch millis before which a retried copy must not be processed (the back-off) */
    public static final String NOT_BEFORE = "x-wizmesh-not-before";
    /** the event's routing key when first published (retries and dead letters go through the default exchange) */
    public static final String ROUTING_KEY = "x-wizmesh-routing-key";
    /** the last failure's message, exception class, and the queue it failed in */
    public static final String ERROR = "x-wizmesh-error";
    public static final String EXCEPTION = "x-wizmesh-exception";
    public static final String QUEUE = "x-wizmesh-queue";
    /** dead letters only: attempts made, and when it was dead-lettered (ISO-8601) */
    public static final String ATTEMPTS = "x-wizmesh-attempts";
    public static final String DEAD_LETTERED_AT = "x-wizmesh-dead-lettered-at";

    private MessageHeaders() {
    }

    /** A header as a string (the client hands strings over as LongString), or null. */
    public static String string(Map<String, Object> headers, String name) {
        Object value = headers == null ? null : headers.get(name);
        return value == null ? null : value.toString();
    }

    /** A numeric header, or {@code otherwise} when missing or not a number. */
    public static long number(Map<String, Object> headers, String name, long otherwise) {
        Object value = headers == null ? null : headers.get(name);
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value != null) {
            try {
                return Long.parseLong(value.toString());
            } catch (NumberFormatException e) {
                return otherwise;
            }
        }
        return otherwise;
    }

    static Instant notBefore(Map<String, Object> headers) {
        long millis = number(headers, NOT_BEFORE, 0);
        return Instant.ofEpochMilli(millis);
    }
}
