package dev.wizmesh.platform.tasks;

/**
 * An admin task's parameters are wrong (missing, malformed, out of range). Thrown from {@link AdminTask#run}; with
 * {@link TaskErrorFilter} installed the caller gets a 400 in the platform's error shape, code {@code BAD_REQUEST},
 * with this message as the reason. Without the filter it reaches Dropwizard's TaskServlet like any exception (a
 * 500 with the message): still refused, never half-done.
 */
public final class BadTaskInputException extends IllegalArgumentException {
    public BadTaskInputException(String message) {
        super(message);
    }
}
