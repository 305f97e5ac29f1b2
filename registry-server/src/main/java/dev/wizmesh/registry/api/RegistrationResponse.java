package dev.wizmesh.registry.api;

/** What a registering instance needs to know: its id and how often to heartbeat. */
public record RegistrationResponse(String id, long leaseTtlSeconds, long heartbeatIntervalSeconds, long heartbeatIntervalMillis) {
}
