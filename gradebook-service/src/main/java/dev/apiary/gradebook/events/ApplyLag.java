package dev.apiary.gradebook.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import tools.jackson.databind.JsonNode;

/**
 * How late change events are applied: from the event's {@code published_at} (ISO-8601, set by whoever published it)
 * to now, as {@code apiary_gradebook_event_apply_lag_seconds}. An event without one (an older publisher) or with an
 * unreadable one is not counted; clock skew between hosts shows as lag (a negative one as 0).
 */
final class ApplyLag {

    private final Timer timer;
    private final Clock clock;

    ApplyLag(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        this.timer = Timer.builder("apiary.gradebook.event.apply.lag")
                .description("From a change event's published_at to when this instance applies it")
                .register(registry);
    }

    void record(JsonNode publishedAt) {
        if (publishedAt == null || !publishedAt.isString()) return;
        Instant at;
        try {
            at = Instant.parse(publishedAt.stringValue());
        } catch (DateTimeParseException e) {
            return;
        }
        Duration lag = Duration.between(at, clock.instant());
        timer.record(lag.isNegative() ? Duration.ZERO : lag);
    }
}
