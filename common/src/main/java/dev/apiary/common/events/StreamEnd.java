package dev.apiary.common.events;

/**
 * The data of the {@code end} event sent when a stream ends for another reason than a final state:
 * {@code gone} (the state no longer exists), {@code expired} (the subscriber's own deadline, e.g. its token),
 * {@code timeout} (the stream's longest lifetime), {@code shutdown} (this instance is stopping) or
 * {@code lagging} (the client fell too far behind). A client may reconnect after all but {@code gone} and
 * {@code expired}.
 */
public record StreamEnd(String reason) {
    public static final String EVENT = "end";
}
