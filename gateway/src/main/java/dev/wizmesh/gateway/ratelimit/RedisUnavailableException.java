package dev.wizmesh.gateway.ratelimit;

/** Redis could not decide (refused, timed out, pool exhausted, errored): the caller falls back. */
public class RedisUnavailableException extends RuntimeException {
    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
