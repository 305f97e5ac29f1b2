package dev.wizmesh.cron.core;

/**
 * Whether a run also holds a lock outside Quartz. Quartz alone guarantees that one fire runs on one
 * node and that a job never overlaps itself; {@link #REDIS} is for a job that must not overlap
 * with anything else that takes the same Redis lock (a script, another system), and gets a fencing
 * token it can hand on (docs/locks.md).
 */
public enum Exclusivity {
    NONE,
    REDIS
}
