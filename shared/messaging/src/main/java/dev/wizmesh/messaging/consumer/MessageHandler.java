package dev.wizmesh.messaging.consumer;

import dev.wizmesh.messaging.event.Event;
import org.jdbi.v3.core.Handle;

/**
 * What a service does with one event. It runs inside a transaction of the event's tenant, the same one that
 * records the event as processed: its database effect and that record commit together, so a redelivered event
 * is skipped, and a failed one (any exception) leaves no trace and is retried.
 *
 * <p>Effects outside the database (an e-mail, a call to another service) are not covered by that transaction:
 * make them idempotent themselves, e.g. keyed by {@code event.id()}.
 */
@FunctionalInterface
public interface MessageHandler {
    void handle(Handle h, Event event) throws Exception;
}
