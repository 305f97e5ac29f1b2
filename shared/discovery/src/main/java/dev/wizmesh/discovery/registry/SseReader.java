package dev.wizmesh.discovery.registry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads a text/event-stream (the WHATWG Server-Sent Events format) and hands each complete event
 * to a consumer: fields {@code event:}, {@code id:}, {@code data:} (several data lines joined by
 * newlines), comments ignored, a blank line ending an event. Blocks until the stream ends.
 */
public final class SseReader {
    private SseReader() {
    }

    public static void read(InputStream in, Consumer<SseEvent> onEvent) throws IOException {
        read(in, onEvent, () -> { });
    }

    /** As {@link #read(InputStream, Consumer)}, calling {@code onLine} for every line, comments included (liveness). */
    public static void read(InputStream in, Consumer<SseEvent> onEvent, Runnable onLine) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String name = null;
        String id = null;
        StringBuilder data = null;
        String line;
        while ((line = lines.readLine()) != null) {
            onLine.run();
            if (line.isEmpty()) {
                if (data != null) {
                    onEvent.accept(new SseEvent(name == null ? "message" : name, id, data.toString()));
                }
                name = null;
                data = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue; // a comment: keep-alive
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> name = value;
                case "id" -> id = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> { } // retry and unknown fields: not used here
            }
        }
    }
}
