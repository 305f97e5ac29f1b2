package dev.wizmesh.platform.health;

/**
 * Which question a health check answers, as Kubernetes asks them. LIVENESS: is the process
 * broken beyond repair (restart it)? READINESS: can it serve traffic right now (route to it)?
 * A database that is down makes a service unready, not dead: restarting would not help.
 */
public enum Probe {
    LIVENESS,
    READINESS
}
