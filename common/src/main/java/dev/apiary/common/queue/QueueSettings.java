package dev.apiary.common.queue;

import java.time.Duration;
import java.util.Objects;

/**
 * A queue: a Redis stream and the consumer group of one service. Its derived keys ({@code <stream>:retry},
 * {@code <stream>:dead}) always share the stream's Redis Cluster slot, so every script touching several of them is
 * cluster-safe: a stream named with a hash tag ({@code apiary:pdf:{render}}) passes its tag on; a stream without one
 * ({@code apiary:alert:dispatch:sms}) gets its whole name as the tag ({@code {apiary:alert:dispatch:sms}:dead}),
 * which hashes exactly as the untagged stream name does.
 *
 * @param concurrency  handlers running at once in this instance
 * @param lease        how long an entry may sit unacknowledged with no heartbeat before another instance reclaims it
 * @param maxAttempts  handler failures before the entry is dead-lettered; also how often its consumers may die
 *                     while handling it (crash, kill) before it is dead-lettered without running again
 * @param backoffBase  delay before the 2nd attempt; doubled each further attempt, capped at backoffMax
 * @param shutdownGrace how long a graceful stop waits for running handlers before releasing their entries
 */
public record QueueSettings(String stream, String group, int concurrency, Duration lease, int maxAttempts,
                            Duration backoffBase, Duration backoffMax, Duration shutdownGrace) {

    public QueueSettings {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(group, "group");
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be >= 1");
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1");
        if (lease.toMillis() < 300) throw new IllegalArgumentException("lease must be >= 300ms");
    }

    public static QueueSettings of(String stream, String group) {
        return new QueueSettings(stream, group, 4, Duration.ofSeconds(30), 5,
                Duration.ofMillis(500), Duration.ofMinutes(1), Duration.ofSeconds(10));
    }

    public QueueSettings withConcurrency(int n) {
        return new QueueSettings(stream, group, n, lease, maxAttempts, backoffBase, backoffMax, shutdownGrace);
    }

    public QueueSettings withLease(Duration d) {
        return new QueueSettings(stream, group, concurrency, d, maxAttempts, backoffBase, backoffMax, shutdownGrace);
    }

    public QueueSettings withMaxAttempts(int n) {
        return new QueueSettings(stream, group, concurrency, lease, n, backoffBase, backoffMax, shutdownGrace);
    }

    public QueueSettings withBackoff(Duration base, Duration max) {
        return new QueueSettings(stream, group, concurrency, lease, maxAttempts, base, max, shutdownGrace);
    }

    public QueueSettings withShutdownGrace(Duration d) {
        return new QueueSettings(stream, group, concurrency, lease, maxAttempts, backoffBase, backoffMax, d);
    }

    public String retryKey() {
        return slotBase() + ":retry";
    }

    public String deadLetterKey() {
        return slotBase() + ":dead";
    }

    /** Dead-letter ids already put back into the stream (answers a repeated retry the same), kept for a day. */
    public String retriedKey() {
        return slotBase() + ":dead:retried";
    }

    private String slotBase() {
        return hasHashTag(stream) ? stream : "{" + stream + "}";
    }

    /** Redis Cluster's rule: the part between the first '{' and the next '}', when not empty, is what is hashed. */
    static boolean hasHashTag(String key) {
        int open = key.indexOf('{');
        if (open < 0) return false;
        int close = key.indexOf('}', open + 1);
        return close > open + 1;
    }

    /** Exponential backoff before attempt {@code nextAttempt} (2, 3, ...). */
    public Duration backoffBefore(int nextAttempt) {
        long factor = 1L << Math.min(20, Math.max(0, nextAttempt - 2));
        long ms = Math.min(backoffMax.toMillis(), backoffBase.toMillis() * factor);
        return Duration.ofMillis(ms);
    }
}
