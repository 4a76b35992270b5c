package dev.apiary.common.events;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * How the streams of one use behave.
 *
 * @param maxEventsPerSecond at most this many sends per stream and second (0 = every change at once); changes in
 *                           between are coalesced: a state stream sends the newest state, a topic the newest event
 *                           per coalescing key
 * @param heartbeat          a comment line after this long without an event, so proxies keep the connection open
 *                           and a vanished client is noticed
 * @param buffer             events a client may have waiting; a client with more is dropped, never waited on
 * @param maxLifetime        a stream ends ({@code end} event, reason {@code timeout}) after this long; the client
 *                           reconnects, which spreads long-lived clients over the instances again
 * @param gone               the last event when a state stream's state disappears, given the id; null = {@code end}
 *                           with reason {@code gone}
 */
public record StreamOptions(double maxEventsPerSecond, Duration heartbeat, int buffer, Duration maxLifetime,
                            Function<String, Event> gone) {

    public StreamOptions {
        if (maxEventsPerSecond < 0) throw new IllegalArgumentException("maxEventsPerSecond must be >= 0");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(maxLifetime, "maxLifetime");
        if (heartbeat.toMillis() < 1) throw new IllegalArgumentException("heartbeat must be positive");
        if (buffer < 1) throw new IllegalArgumentException("buffer must be >= 1");
    }

    /** No rate limit, a heartbeat every 15 s, 64 events of buffer, 30 min lifetime. */
    public static StreamOptions defaults() {
        return new StreamOptions(0, Duration.ofSeconds(15), 64, Duration.ofMinutes(30), null);
    }

    public StreamOptions withMaxEventsPerSecond(double n) {
        return new StreamOptions(n, heartbeat, buffer, maxLifetime, gone);
    }

    public StreamOptions withHeartbeat(Duration d) {
        return new StreamOptions(maxEventsPerSecond, d, buffer, maxLifetime, gone);
    }

    public StreamOptions withBuffer(int events) {
        return new StreamOptions(maxEventsPerSecond, heartbeat, events, maxLifetime, gone);
    }

    public StreamOptions withMaxLifetime(Duration d) {
        return new StreamOptions(maxEventsPerSecond, heartbeat, buffer, d, gone);
    }

    public StreamOptions withGoneEvent(Function<String, Event> event) {
        return new StreamOptions(maxEventsPerSecond, heartbeat, buffer, maxLifetime, event);
    }
}
