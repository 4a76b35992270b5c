package dev.apiary.common.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.apiary.common.tenancy.Actor;
import dev.apiary.common.tenancy.Tenancy;
import dev.apiary.common.web.ApiProblem;

/**
 * Who changed what, per school: an append-only Redis stream per school ({@code <prefix>:{<school>}}, one key per
 * school, so Cluster-safe), capped at about {@code maxEntries} (XADD MAXLEN ~). Each entry records the client and
 * the actor ({@code X-Apiary-Actor}) of the current request, an action and its target. Read newest first, in pages.
 */
public final class AuditLog {

    public static final int MAX_LIMIT = 200;

    private final StringRedisTemplate redis;
    private final String prefix;
    private final long maxEntries;

    /** @param prefix the key prefix, e.g. {@code apiary:alert:audit} */
    public AuditLog(StringRedisTemplate redis, String prefix, long maxEntries) {
        this.redis = redis;
        this.prefix = prefix;
        this.maxEntries = maxEntries;
    }

    /** One audited change. {@code actor} is null when the request named none. */
    public record Entry(String id, Instant at, String schoolId, String client, String actor, String action,
                        String target) {
    }

    /** A page, newest first; {@code nextCursor} is null on the last page. */
    public record Page(List<Entry> entries, String nextCursor) {
    }

    /** Records {@code action} on {@code target} for {@code schoolId} by the current request's client and actor. */
    public Entry record(String schoolId, String action, String target) {
        return record(schoolId, Tenancy.caller().name(), Actor.current().orElse(null), action, target);
    }

    public Entry record(String schoolId, String client, String actor, String action, String target) {
        Map<String, String> fields = new LinkedHashMap<>();
        long now = System.currentTimeMillis();
        fields.put("at", Long.toString(now));
        fields.put("client", client);
        if (actor != null) {
            fields.put("actor", actor);
        }
        fields.put("action", action);
        fields.put("target", target);
        String key = key(schoolId);
        RecordId id = redis.opsForStream().add(StreamRecords.newRecord().in(key).ofMap(fields));
        redis.opsForStream().trim(key, maxEntries, true);
        return new Entry(id == null ? null : id.getValue(), Instant.ofEpochMilli(now), schoolId, client, actor, action,
                target);
    }

    /** Newest first, after {@code cursor} (an entry id from an earlier page) if given; 400 naming a bad parameter. */
    public Page page(String schoolId, String cursor, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiProblem.badRequest("limit", "an integer from 1 to " + MAX_LIMIT);
        }
        Range<String> range = Range.unbounded();
        if (cursor != null && !cursor.isBlank()) {
            if (!cursor.matches("\\d{1,20}-\\d{1,20}")) {
                throw ApiProblem.badRequest("cursor", "not a cursor from an earlier page");
            }
            range = Range.of(Range.Bound.unbounded(), Range.Bound.exclusive(cursor));
        }
        List<MapRecord<String, Object, Object>> records = redis.opsForStream()
                .reverseRange(key(schoolId), range, Limit.limit().count(limit + 1));
        List<Entry> out = new ArrayList<>();
        if (records != null) {
            for (MapRecord<String, Object, Object> r : records) {
                if (out.size() == limit) {
                    break;
                }
                Map<Object, Object> v = r.getValue();
                out.add(new Entry(r.getId().getValue(), Instant.ofEpochMilli(Long.parseLong(str(v.get("at")))),
                        schoolId, str(v.get("client")), (String) v.get("actor"), str(v.get("action")),
                        str(v.get("target"))));
            }
        }
        boolean more = records != null && records.size() > limit;
        return new Page(out, more ? out.getLast().id() : null);
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    private String key(String schoolId) {
        return prefix + ":{" + schoolId + "}";
    }
}
