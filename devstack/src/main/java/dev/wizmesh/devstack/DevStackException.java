package dev.wizmesh.devstack;

/**
 * A failure the user can act on (port in use, a second devstack, an unreachable server): DevStack prints its
 * message alone, without a stack trace, and exits with status 1.
 */
final class DevStackException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    DevStackException(String message) {
        super(message);
    }

    DevStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
