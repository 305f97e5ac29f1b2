package dev.wizmesh.lock;

/** Redis could not be asked (down, refused, timed out): nobody can say who holds the lock, so nobody may assume they do. */
public class LockUnavailableException extends RuntimeException {
    public LockUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
