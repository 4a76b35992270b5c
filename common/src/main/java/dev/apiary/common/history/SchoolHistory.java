package dev.apiary.common.history;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;

import dev.apiary.common.tenancy.Tenancy;
import dev.apiary.common.web.ApiProblem;

/**
 * A school's past work (reports, alerts), newest first, for the legacy app's history pages.
 * <p>
 * One sorted set per school ({@code <prefix>:{<school>}}, score = creation time in ms, member = resource id): one key
 * per school, so it is Cluster-safe. The resource itself stays the truth: entries whose resource is gone (deleted,
 * expired) are dropped when a page meets them, and entries older than the retention are trimmed on each write.
 * <p>
 * Cursors are {@code <ms>.<id>} of the last entry read. A filtered page may come back shorter than the limit (it
 * reads at most {@link #SCAN_FACTOR} times the limit) with a cursor to go on from; a full page always has a cursor,
 * and the page after it may be empty.
 */
public final class SchoolHistory {

    static final int SCAN_FACTOR = 10;
    public static final int MAX_LIMIT = 200;

    private final StringRedisTemplate redis;
    private final String prefix;
    private final Duration retention;

    /**
     * @param prefix    the key prefix, e.g. {@code apiary:pdf:history}
     * @param retention how long entries are kept (the resource's own retention)
     */
    public SchoolHistory(StringRedisTemplate redis, String prefix, Duration retention) {
        this.redis = redis;
        this.prefix = prefix;
        this.retention = retention;
    }

    /** A page of loaded items; {@code nextCursor} is null on the last page. */
    public record Page<T>(List<T> items, String nextCursor) {
    }

    /** What to list: items created at or after {@code since} (may be null) that {@code filter} keeps. */
    public record Query(String schoolId, Instant since, String cursor, int limit) {

        /**
         * From a list request's parameters ({@code school_id} required, {@code since} an ISO-8601 instant or date,
         * {@code limit} default 50): 400 naming the parameter when one is malformed, 403 naming {@code school_id}
         * when the caller may not act for that school.
         */
        public static Query fromRequest(String schoolId, String since, String cursor, String limit) {
            if (schoolId == null || schoolId.isBlank()) {
                throw ApiProblem.badRequest("school_id", "required: the school whose history to list");
            }
            Tenancy.requireSchool(schoolId);
            return new Query(schoolId, since(since), blankToNull(cursor), limit(limit));
        }

        private static Instant since(String s) {
            if (s == null || s.isBlank()) return null;
            try {
                return Instant.parse(s.trim());
            } catch (DateTimeParseException e) {
                try {
                    return LocalDate.parse(s.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException e2) {
                    throw ApiProblem.badRequest("since", "an ISO-8601 instant (2026-12-04T07:00:00Z) or date (2026-12-04)");
                }
            }
        }

        private static int limit(String s) {
            if (s == null || s.isBlank()) return 50;
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                return 0;   // refused by the constructor, naming the field
            }
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.trim();
        }

        public Query {
            if (limit < 1 || limit > MAX_LIMIT) {
                throw ApiProblem.badRequest("limit", "an integer from 1 to " + MAX_LIMIT);
            }
            if (cursor != null && Cursor.parse(cursor) == null) {
                throw ApiProblem.badRequest("cursor", "not a cursor from an earlier page");
            }
        }
    }

    /** Records a new resource (call once it exists). */
    public void record(String schoolId, String id, Instant createdAt) {
        String key = key(schoolId);
        redis.opsForZSet().add(key, id, createdAt.toEpochMilli());
        redis.opsForZSet().removeRangeByScore(key, Double.NEGATIVE_INFINITY,
                Instant.now().minus(retention).toEpochMilli() - 1);
        redis.expire(key, retention);
    }

    /** Forgets one resource (deleted). */
    public void forget(String schoolId, String id) {
        redis.opsForZSet().remove(key(schoolId), id);
    }

    /**
     * Newest first. {@code load} answers the item of an id, or empty when the resource is gone (its entry is then
     * dropped); {@code filter} keeps the items the caller asked for (state, ...).
     */
    public <T> Page<T> page(Query q, Function<String, Optional<T>> load, Predicate<T> filter) {
        String key = key(q.schoolId());
        double min = q.since() == null ? Double.NEGATIVE_INFINITY : q.since().toEpochMilli();
        Cursor after = q.cursor() == null ? null : Cursor.parse(q.cursor());
        double max = after == null ? Double.POSITIVE_INFINITY : after.score();
        List<T> items = new ArrayList<>();
        int budget = q.limit() * SCAN_FACTOR;
        int offset = 0;
        Cursor last = after;
        while (budget > 0) {
            int batch = Math.min(budget, Math.max(q.limit(), 50));
            Set<TypedTuple<String>> slice = redis.opsForZSet().reverseRangeByScoreWithScores(key, min, max, offset, batch);
            if (slice == null || slice.isEmpty()) {
                return new Page<>(items, null);
            }
            for (TypedTuple<String> t : slice) {
                offset++;
                Cursor here = new Cursor(t.getScore(), t.getValue());
                if (after != null && !here.isAfter(after)) {
                    continue;   // same millisecond as the cursor, already shown
                }
                budget--;
                last = here;
                Optional<T> item = load.apply(t.getValue());
                if (item.isEmpty()) {
                    redis.opsForZSet().remove(key, t.getValue());
                    offset--;
                    continue;
                }
                if (filter.test(item.get())) {
                    items.add(item.get());
                    if (items.size() == q.limit()) {
                        return new Page<>(items, last.toString());   // the next page may be empty
                    }
                }
                if (budget == 0) break;
            }
            if (slice.size() < batch) {
                return new Page<>(items, null);
            }
        }
        return new Page<>(items, last == null ? null : last.toString());
    }

    private String key(String schoolId) {
        return prefix + ":{" + schoolId + "}";
    }

    /** Position in the newest-first order: by score descending, then member descending (Redis' REV order). */
    record Cursor(double score, String id) {
        static Cursor parse(String s) {
            int dot = s.indexOf('.');
            if (dot < 1 || dot == s.length() - 1) return null;
            try {
                long ms = Long.parseLong(s.substring(0, dot));
                String id = s.substring(dot + 1);
                return id.matches("[A-Za-z0-9_-]{1,64}") ? new Cursor(ms, id) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }

        boolean isAfter(Cursor c) {
            return score < c.score || (score == c.score && id.compareTo(c.id) < 0);
        }

        @Override
        public String toString() {
            return (long) score + "." + id;
        }
    }
}
