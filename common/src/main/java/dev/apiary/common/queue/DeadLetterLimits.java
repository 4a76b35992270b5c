package dev.apiary.common.queue;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Bounds of every dead-letter stream ({@code <stream>:dead}), applied on every add and every {@code trimInterval}.
 *
 * @param maxLength    at most this many entries per dead-letter stream (the oldest go first)
 * @param maxAge       entries older than this go
 * @param trimInterval how often each instance trims its queues' dead-letter streams
 */
@ConfigurationProperties("apiary.queue.dead-letters")
public record DeadLetterLimits(@DefaultValue("10000") int maxLength, @DefaultValue("14d") Duration maxAge,
                               @DefaultValue("1m") Duration trimInterval) {

    public static final DeadLetterLimits DEFAULTS = new DeadLetterLimits(10_000, Duration.ofDays(14), Duration.ofMinutes(1));

    public DeadLetterLimits {
        if (maxLength < 1) throw new IllegalArgumentException("apiary.queue.dead-letters.max-length must be >= 1");
        if (maxAge.toMillis() < 1000) throw new IllegalArgumentException("apiary.queue.dead-letters.max-age must be >= 1s");
        if (trimInterval.toMillis() < 100) throw new IllegalArgumentException("apiary.queue.dead-letters.trim-interval must be >= 100ms");
    }
}
