package dev.wizmesh.messaging.connection;

/** The broker cannot be reached right now; the work is retried once the connection is back. */
public class AmqpUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AmqpUnavailableException(String message) {
        super(message);
    }

    public AmqpUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
