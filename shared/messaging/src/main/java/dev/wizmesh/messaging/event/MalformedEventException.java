package dev.wizmesh.messaging.event;

/** A message that is not a readable event envelope: retrying cannot help, so consumers dead-letter it at once. */
public class MalformedEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
