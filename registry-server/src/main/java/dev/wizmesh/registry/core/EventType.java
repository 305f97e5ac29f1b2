package dev.wizmesh.registry.core;

/** What happened to an instance; the {@code type} of a watch event. */
public enum EventType {
    /** A new instance registered. */
    REGISTERED,
    /** An instance re-registered or changed status (UP, DOWN, OUT_OF_SERVICE, ...). */
    UPDATED,
    /** An instance left: it deregistered, or a failing health check removed it. */
    DEREGISTERED,
    /** Its lease lapsed: no heartbeat within its TTL. */
    EXPIRED
}
