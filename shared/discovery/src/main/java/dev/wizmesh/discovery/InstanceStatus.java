package dev.wizmesh.discovery;

/**
 * An instance's status in the registry. Only UP instances are handed to callers:
 * STARTING is not ready yet, DOWN failed its health check or lost its session, and
 * OUT_OF_SERVICE is draining (kept in the registry, but given no new work).
 */
public enum InstanceStatus {
    UP,
    DOWN,
    STARTING,
    OUT_OF_SERVICE
}
