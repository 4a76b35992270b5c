package dev.apiary.alert.core;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter, never shorter than the provider's Retry-After. */
public record Backoff(Duration base, Duration max) {

    public Duration delay(int attempt, Duration retryAfter) {
        long cap = Math.min(max.toMillis(), base.toMillis() * (1L << Math.min(16, Math.max(0, attempt - 1))));
        long jittered = cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
        long floor = retryAfter == null ? 0 : retryAfter.toMillis();
        // honour Retry-After, plus a little jitter so retries of many deliveries do not arrive together
        return Duration.ofMillis(floor > 0 ? floor + ThreadLocalRandom.current().nextLong(base.toMillis() + 1)
                : jittered);
    }
}
