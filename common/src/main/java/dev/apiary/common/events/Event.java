package dev.apiary.common.events;

import java.util.Objects;

/**
 * An event for a {@link TopicStreams} client: its SSE name, its data (sent as JSON) and, optionally, what it
 * replaces: events with the same {@code coalesceKey} waiting to be sent are superseded by the newest one
 * (e.g. one student's new grades replace that student's older ones), so a burst costs one event per key.
 */
public record Event(String name, Object data, String coalesceKey) {

    public Event {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(data, "data");
        if (name.isBlank() || name.chars().anyMatch(c -> c == '\n' || c == '\r' || c == ':')) {
            throw new IllegalArgumentException("an event name is one word: " + name);
        }
    }

    /** An event that supersedes nothing: every one is sent. */
    public static Event of(String name, Object data) {
        return new Event(name, data, null);
    }

    /** The same event, superseding waiting events with the same key. */
    public Event coalescing(String key) {
        return new Event(name, data, key);
    }
}
