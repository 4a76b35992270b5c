package dev.apiary.common.events;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import tools.jackson.databind.json.JsonMapper;

/**
 * Bytes ready for the wire: one SSE event ({@code event:<name>\ndata:<json>\n\n}, the format Spring's SseEmitter
 * writes), a comment, or the end marker. Encoded once per stream change and shared by every client's queue.
 */
final class Frame {

    /** Not written: tells a client's writer to finish. */
    static final Frame END = new Frame(new byte[0]);
    static final Frame HEARTBEAT = new Frame(":keep-alive\n\n".getBytes(StandardCharsets.UTF_8));

    private final byte[] bytes;

    private Frame(byte[] bytes) {
        this.bytes = bytes;
    }

    /** An event; compact JSON has no line breaks, so the data is one {@code data:} line. */
    static Frame event(JsonMapper json, String name, Object data) {
        byte[] body = json.writeValueAsBytes(data);
        byte[] head = ("event:" + name + "\ndata:").getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(head, head.length + body.length + 2);
        System.arraycopy(body, 0, out, head.length, body.length);
        out[out.length - 2] = '\n';
        out[out.length - 1] = '\n';
        return new Frame(out);
    }

    byte[] bytes() {
        return bytes;
    }

    boolean sameAs(Frame other) {
        return other != null && Arrays.equals(bytes, other.bytes);
    }
}
