package dev.apiary.gradebook.cache;

import dev.apiary.gradebook.calc.Gradebook;

import java.time.Duration;
import java.time.Instant;

/**
 * One cached section: an immutable snapshot plus when its source was fetched from the legacy app
 * ({@code fetchedAt}) and when a change event last patched it ({@code patchedAt}, null if never).
 * A patch makes a new {@code CachedSection}; readers keep whichever snapshot they got.
 */
public record CachedSection(Gradebook gradebook, Instant fetchedAt, long fetchedNanos, Instant patchedAt) {

    public static CachedSection fetched(Gradebook gb) {
        return new CachedSection(gb, Instant.now(), System.nanoTime(), null);
    }

    public CachedSection patched(Gradebook next) {
        return new CachedSection(next, fetchedAt, fetchedNanos, Instant.now());
    }

    /** How old the fetched source is. */
    public Duration age() {
        return Duration.ofNanos(Math.max(0, System.nanoTime() - fetchedNanos));
    }
}
