package dev.apiary.alert.metrics;

import java.time.Clock;
import java.util.Set;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import dev.apiary.alert.store.Keys;

/**
 * Alerts not finished yet, from the active-alerts index in Redis (the same from every instance):
 * {@code apiary_alert_active} and {@code apiary_alert_oldest_active_age_seconds} (since the oldest unfinished alert
 * was created; 0 when none). Read at most once a second however often they are scraped; NaN while Redis is down.
 */
@Component
public class ActiveAlertsGauges {

    private static final long REFRESH_MS = 1000;

    private record Reading(double count, double oldestAgeSeconds) {
        static final Reading UNKNOWN = new Reading(Double.NaN, Double.NaN);
    }

    private final StringRedisTemplate redis;
    private final Clock clock;
    private Reading last = Reading.UNKNOWN;
    private long readAt = Long.MIN_VALUE;

    public ActiveAlertsGauges(StringRedisTemplate redis, MeterRegistry registry) {
        this.redis = redis;
        this.clock = Clock.systemUTC();
        Gauge.builder("apiary.alert.active", this, g -> g.read().count())
                .description("Alerts created and not finished").register(registry);
        Gauge.builder("apiary.alert.oldest.active.age", this, g -> g.read().oldestAgeSeconds()).baseUnit("seconds")
                .description("Age of the oldest unfinished alert (0 when none)").register(registry);
    }

    private synchronized Reading read() {
        long now = clock.millis();
        if (now - readAt < REFRESH_MS) return last;
        try {
            Long n = redis.opsForZSet().zCard(Keys.ACTIVE);
            Set<ZSetOperations.TypedTuple<String>> first = redis.opsForZSet().rangeWithScores(Keys.ACTIVE, 0, 0);
            double age = 0;
            if (first != null && !first.isEmpty()) {
                Double created = first.iterator().next().getScore();
                if (created != null) age = Math.max(0, now - created) / 1000.0;
            }
            last = new Reading(n == null ? 0 : n, age);
        } catch (RuntimeException e) {
            last = Reading.UNKNOWN;
        }
        readAt = clock.millis();
        return last;
    }
}
