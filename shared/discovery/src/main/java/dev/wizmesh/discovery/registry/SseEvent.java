package dev.wizmesh.discovery.registry;

/** One Server-Sent Event: its name ({@code event:}), id ({@code id:}) and data. */
public record SseEvent(String name, String id, String data) {
}
