package dev.apiary.alert.optout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The suppression lists in Redis: one hash per scope (a school, or {@link OptOutScopes#SHARED}) and list,
 * {@code apiary:alert:optout:{<scope>}:sms|email}, address → {@code <source>|<epoch ms>}. No expiry: a
 * suppression list is kept until the address opts back in or is removed through the API.
 */
@Component
public class OptOuts {

    /** One suppressed address: where it came from ({@code sms_stop}, {@code twilio_21610}, {@code mailgun_unsubscribed}...). */
    public record OptOut(String schoolId, String channel, String address, String source, Instant createdAt) {
    }

    /** A page of one list, by address; {@code nextCursor} is null on the last page. */
    public record Page(List<OptOut> items, String nextCursor) {
    }

    private final StringRedisTemplate redis;

    public OptOuts(StringRedisTemplate redis) {
        this.redis = redis;
    }

    static String key(String scope, OptOutChannel c) {
        return "apiary:alert:optout:{" + scope + "}:" + c.id();
    }

    /** Adds (or refreshes) an address; true if it was not on the list. */
    public boolean add(String scope, OptOutChannel c, String address, String source) {
        String value = source + "|" + System.currentTimeMillis();
        Boolean added = redis.opsForHash().putIfAbsent(key(scope, c), address, value);
        return Boolean.TRUE.equals(added);
    }

    /** Removes an address; true if it was on the list. */
    public boolean remove(String scope, OptOutChannel c, String address) {
        Long n = redis.opsForHash().delete(key(scope, c), address);
        return n != null && n > 0;
    }

    /** The entry of one address, if it is on the list. */
    public java.util.Optional<OptOut> find(String scope, OptOutChannel c, String address) {
        Object value = redis.opsForHash().get(key(scope, c), address);
        return java.util.Optional.ofNullable(value).map(v -> parse(scope, c, address, v.toString()));
    }

    public boolean contains(String scope, OptOutChannel c, String address) {
        return redis.opsForHash().hasKey(key(scope, c), address);
    }

    /** Which of {@code addresses} are on the list of any of {@code scopes} (one HMGET per scope: one key each). */
    public Set<String> matching(Collection<String> scopes, OptOutChannel c, Collection<String> addresses) {
        Set<String> out = new HashSet<>();
        if (addresses.isEmpty()) {
            return out;
        }
        List<Object> fields = new ArrayList<>(addresses);
        for (String scope : scopes) {
            List<Object> values = redis.opsForHash().multiGet(key(scope, c), fields);
            for (int i = 0; i < fields.size(); i++) {
                if (values.get(i) != null) {
                    out.add(fields.get(i).toString());
                }
            }
        }
        return out;
    }

    /** One list in address order, after {@code cursor} (the last address of the previous page). */
    public Page page(String scope, OptOutChannel c, String cursor, int limit) {
        Map<Object, Object> all = redis.opsForHash().entries(key(scope, c));
        List<OptOut> items = all.entrySet().stream()
                .filter(e -> cursor == null || e.getKey().toString().compareTo(cursor) > 0)
                .sorted(Comparator.comparing(e -> e.getKey().toString()))
                .limit(limit + 1L)
                .map(e -> parse(scope, c, e.getKey().toString(), e.getValue().toString()))
                .toList();
        if (items.size() > limit) {
            List<OptOut> page = items.subList(0, limit);
            return new Page(List.copyOf(page), page.getLast().address());
        }
        return new Page(items, null);
    }

    private static OptOut parse(String scope, OptOutChannel c, String address, String value) {
        int bar = value.lastIndexOf('|');
        String source = bar < 0 ? value : value.substring(0, bar);
        Instant at = null;
        if (bar >= 0) {
            try {
                at = Instant.ofEpochMilli(Long.parseLong(value.substring(bar + 1)));
            } catch (NumberFormatException e) {
                at = null;
            }
        }
        return new OptOut(scope, c.id(), address, source, at);
    }
}
