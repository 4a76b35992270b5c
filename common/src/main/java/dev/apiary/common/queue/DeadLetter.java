package dev.apiary.common.queue;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of a dead-letter stream: the failed entry's own fields and what the queue added when it gave up.
 *
 * @param id        the admin API's id: {@code <entry id>.<stream token>} ({@link DeadLetters#idOf})
 * @param stream    the queue's stream (not the dead-letter stream's key)
 * @param entryId   the entry's id in the dead-letter stream (also its time of arrival there)
 * @param sourceId  the id the entry had in the queue's stream
 * @param schoolId  the {@code school_id} field of the entry, when it has one (who may see it)
 * @param fields    the failed entry's own fields, as it was enqueued
 */
public record DeadLetter(String id, String stream, String entryId, Instant failedAt, String error, int attempts,
                         int crashes, String sourceId, String schoolId, Map<String, String> fields) {

    public static final String ERROR = "_error";
    public static final String ATTEMPTS = "_attempts";
    public static final String SOURCE_ID = "_source_id";
    public static final String FAILED_AT = "_failed_at";
    public static final String CRASHES = "_crashes";
    /** The field of an entry that names its school (tenancy). */
    public static final String SCHOOL_ID = "school_id";
    /** The fields the queue adds when it dead-letters an entry (dropped again when it is retried). */
    static final List<String> BOOKKEEPING = List.of(ERROR, ATTEMPTS, SOURCE_ID, FAILED_AT, CRASHES);

    public DeadLetter {
        fields = Map.copyOf(fields);
    }

    static DeadLetter of(String stream, String entryId, Map<String, String> raw) {
        Map<String, String> own = new LinkedHashMap<>(raw);
        BOOKKEEPING.forEach(own::remove);
        return new DeadLetter(DeadLetters.idOf(stream, entryId), stream, entryId, instant(raw.get(FAILED_AT)),
                raw.getOrDefault(ERROR, ""), number(raw.get(ATTEMPTS)), number(raw.get(CRASHES)),
                raw.get(SOURCE_ID), raw.get(SCHOOL_ID), own);
    }

    private static Instant instant(String s) {
        try {
            return s == null ? null : Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static int number(String s) {
        try {
            return s == null ? 0 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
