package dev.wizmesh.lock;

/**
 * The lock's three Lua scripts. Redis runs a script atomically, so "check the owner, then act"
 * cannot be split by another client's command: the race a GET followed by a DEL would leave open
 * (the lock expires and someone else takes it between the two) cannot happen.
 */
final class LockScripts {
    /**
     * KEYS[1] the lock, KEYS[2] its fencing counter; ARGV[1] owner token, ARGV[2] lease in ms.
     * Takes the lock if free and returns the next fencing token, or 0 if someone holds it. Both in
     * one script: a token is handed out only with the lock, and in the order locks are taken.
     */
    static final String ACQUIRE = """
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
              return redis.call('INCR', KEYS[2])
            end
            return 0
            """;

    /** KEYS[1] the lock; ARGV[1] owner token. Deletes it only for its owner: 1 if deleted, 0 if not held by that owner. */
    static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """;

    /** KEYS[1] the lock; ARGV[1] owner token, ARGV[2] new lease in ms. Extends it only for its owner: 1 or 0. */
    static final String EXTEND = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('PEXPIRE', KEYS[1], ARGV[2])
            end
            return 0
            """;

    private LockScripts() {
    }
}
