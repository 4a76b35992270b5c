package dev.apiary.common.admin;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.apiary.common.queue.DeadLetter;

/** The admin API's answers about dead letters (records, so the OpenAPI document shows their schemas). */
public final class DeadLetterAnswers {

    private DeadLetterAnswers() {
    }

    /** One dead letter in a list: what failed and why, without the entry's data. */
    public record Summary(String id, String stream, Instant failedAt, String error, int attempts, int crashes,
                          String schoolId) {
        static Summary of(DeadLetter d) {
            return new Summary(d.id(), d.stream(), d.failedAt(), d.error(), d.attempts(), d.crashes(), d.schoolId());
        }
    }

    /** A page, newest first; pass {@code next_cursor} as {@code cursor} for the next one (null on the last page). */
    public record Page(List<Summary> items, String nextCursor) {
    }

    /** One dead letter with the fields of the failed entry. */
    public record Detail(String id, String stream, String entryId, String sourceId, Instant failedAt, String error,
                         int attempts, int crashes, String schoolId, Map<String, String> fields) {
        static Detail of(DeadLetter d) {
            return new Detail(d.id(), d.stream(), d.entryId(), d.sourceId(), d.failedAt(), d.error(), d.attempts(),
                    d.crashes(), d.schoolId(), d.fields());
        }
    }

    /**
     * A dead letter put back into its stream as entry {@code requeuedAs} (attempt 1); {@code alreadyRetried} when an
     * earlier request did it (a retry is done once, whatever the number of requests).
     */
    public record Retried(String id, String stream, String requeuedAs, boolean alreadyRetried) {
    }

    /** How many dead letters a purge removed. */
    public record Purged(long purged) {
    }
}
