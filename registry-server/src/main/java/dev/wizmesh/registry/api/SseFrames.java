package dev.wizmesh.registry.api;

import java.nio.charset.StandardCharsets;

/**
 * Server-Sent Events as the bytes that go on the wire ({@code text/event-stream}, WHATWG HTML
 * §9.2): rendered once per change and shared by every stream that sends it.
 */
final class SseFrames {
    /** A comment: keeps proxies from closing an idle stream, and finds out if the peer is gone. */
    static final byte[] KEEPALIVE = ": keepalive\n\n".getBytes(StandardCharsets.US_ASCII);

    private SseFrames() {
    }

    /** {@code event:}, {@code id:} and one {@code data:} line per line of {@code data}. */
    static byte[] event(String name, String id, String data) {
        StringBuilder frame = new StringBuilder(data.length() + name.length() + id.length() + 32);
        frame.append("event: ").append(name).append("\nid: ").append(id).append('\n');
        int start = 0;
        while (true) {
            int end = data.indexOf('\n', start);
            frame.append("data: ").append(data, start, end < 0 ? data.length() : end).append('\n');
            if (end < 0) {
                break;
            }
            start = end + 1;
        }
        return frame.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }
}
