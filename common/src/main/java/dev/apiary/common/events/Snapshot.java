package dev.apiary.common.events;

/**
 * The state of one stream as clients see it: {@code view} is sent as the event's JSON data; after a final
 * snapshot the stream ends.
 */
public record Snapshot<V>(V view, boolean isFinal) {

    public static <V> Snapshot<V> of(V view, boolean isFinal) {
        return new Snapshot<>(view, isFinal);
    }
}
