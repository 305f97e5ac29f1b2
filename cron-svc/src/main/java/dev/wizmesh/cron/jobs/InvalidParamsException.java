package dev.wizmesh.cron.jobs;

/** A job's parameters do not suit its type; the message says which and why. */
public final class InvalidParamsException extends RuntimeException {
    public InvalidParamsException(String reason) {
        super(reason);
    }
}
