package dev.wizmesh.lock;

import java.time.Duration;

/** Someone else held the lock for all the time the caller was willing to wait. */
public class LockNotAcquiredException extends RuntimeException {
    private final String name;

    public LockNotAcquiredException(String name, Duration waited) {
        super("lock " + name + " is held by another owner; waited " + waited.toMillis() + " ms");
        this.name = name;
    }

    public String lockName() {
        return name;
    }
}
