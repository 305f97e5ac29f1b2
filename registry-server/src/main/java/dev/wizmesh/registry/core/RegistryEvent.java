package dev.wizmesh.registry.core;

import dev.wizmesh.discovery.ServiceInstance;

/**
 * One change to the registry. {@code index} is the registry-wide, strictly increasing change
 * number: watchers resume from it ({@code Last-Event-ID}) and blocking queries wait for it.
 */
public record RegistryEvent(long index, EventType type, String service, ServiceInstance instance, String reason) {
}
