package dev.apiary.common.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.http.HttpStatus;

import dev.apiary.common.web.ApiProblem;

/**
 * {@code Idempotency-Key} for creating writes, scoped by (client, school): the same key from another client or for
 * another school is another key.
 * <p>
 * Lifecycle: {@link #claim} reserves the key for a short pending time (a crash before the resource exists frees it
 * by itself); {@link Reservation#commit} makes it permanent once the resource exists, after which it is never
 * released, so a retry always answers the same resource. {@link Reservation#release} frees a reservation whose
 * request failed before creating anything. One key per command, each a single-slot Lua script (Redis Cluster safe).
 */
public final class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";
    private static final Pattern VALID = Pattern.compile("[\\x21-\\x7e]{1,255}");

    // value: "pending <token> <request hash>" or "done <resource id> <request hash>"
    private static final RedisScript<String> CLAIM = RedisScript.of("""
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return '' end
            return redis.call('GET', KEYS[1]) or ''
            """, String.class);
    private static final RedisScript<Long> COMMIT = RedisScript.of("""
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
            redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
            return 1
            """, Long.class);
    private static final RedisScript<Long> RELEASE = RedisScript.of("""
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
            return redis.call('DEL', KEYS[1])
            """, Long.class);

    private final StringRedisTemplate redis;
    private final String prefix;
    private final Duration pendingTtl;

    /**
     * @param prefix     the service's key prefix, e.g. {@code apiary:alert}
     * @param pendingTtl how long a reservation holds before the resource exists (at most 2 minutes)
     */
    public IdempotencyKeys(StringRedisTemplate redis, String prefix, Duration pendingTtl) {
        if (pendingTtl.compareTo(Duration.ofMinutes(2)) > 0 || pendingTtl.isNegative() || pendingTtl.isZero()) {
            throw new IllegalArgumentException("pending TTL must be > 0 and at most 2 minutes: " + pendingTtl);
        }
        this.redis = redis;
        this.prefix = prefix;
        this.pendingTtl = pendingTtl;
    }

    /** What a claim found. */
    public sealed interface Claim {
    }

    /** The key is new: create the resource, then {@link Reservation#commit} (or release on failure). */
    public record Fresh(Reservation reservation) implements Claim {
    }

    /** The key already made {@code resourceId} with the same request: answer that resource. */
    public record Replay(String resourceId) implements Claim {
    }

    /** Answer for a claim that found another request still in flight, or a different body under the key. */
    public static ApiProblem inProgress() {
        return ApiProblem.conflict("A request with this Idempotency-Key is still being processed; retry shortly")
                .with("field", HEADER);
    }

    public static ApiProblem reusedWithOtherRequest() {
        return ApiProblem.of(HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency key reused",
                "This Idempotency-Key was used with a different request").with("field", HEADER);
    }

    /** 400 naming the header unless it is 1-255 visible ASCII characters; null/blank means no key. */
    public static String validate(String key) {
        if (key == null || key.isBlank()) return null;
        if (!VALID.matcher(key).matches()) {
            throw ApiProblem.badRequest(HEADER, "1-255 visible ASCII characters");
        }
        return key;
    }

    /**
     * Reserves {@code key} for (client, school), or finds what it already stands for. Throws 409 while another
     * request holds it, 422 when it was used with a different request ({@code requestHash} differs).
     */
    public Claim claim(String client, String schoolId, String key, String requestHash) {
        String redisKey = redisKey(client, schoolId, key);
        String token = UUID.randomUUID().toString();
        String pending = "pending " + token + " " + requestHash;
        String found = redis.execute(CLAIM, List.of(redisKey), pending, Long.toString(pendingTtl.toMillis()));
        if (found == null || found.isEmpty()) {
            return new Fresh(new Reservation(redisKey, pending, requestHash));
        }
        return existing(found, requestHash);
    }

    /** Looks the key up without reserving it: a replay, or null when it is free. Same 409/422 as {@link #claim}. */
    public Replay find(String client, String schoolId, String key, String requestHash) {
        String found = redis.opsForValue().get(redisKey(client, schoolId, key));
        return found == null ? null : existing(found, requestHash);
    }

    private static Replay existing(String found, String requestHash) {
        String[] parts = found.split(" ", 3);
        if (parts.length == 3 && "done".equals(parts[0])) {
            if (requestHash != null && !parts[2].equals(requestHash)) throw reusedWithOtherRequest();
            return new Replay(parts[1]);
        }
        if (parts.length == 3 && requestHash != null && !parts[2].equals(requestHash)) throw reusedWithOtherRequest();
        throw inProgress();
    }

    /** A pending reservation held by this request. */
    public final class Reservation {
        private final String redisKey;
        private final String pendingValue;
        private final String requestHash;

        Reservation(String redisKey, String pendingValue, String requestHash) {
            this.redisKey = redisKey;
            this.pendingValue = pendingValue;
            this.requestHash = requestHash;
        }

        /**
         * Makes the key stand for {@code resourceId} for {@code retention}; call as soon as the resource exists.
         * False if the reservation had already expired (the resource exists anyway; a retry may make a second).
         */
        public boolean commit(String resourceId, Duration retention) {
            Long ok = redis.execute(COMMIT, List.of(redisKey), pendingValue, "done " + resourceId + " " + requestHash,
                    Long.toString(retention.toMillis()));
            return ok != null && ok == 1L;
        }

        /** Frees the key; only for a request that created nothing. A no-op once committed or expired. */
        public void release() {
            redis.execute(RELEASE, List.of(redisKey), pendingValue);
        }
    }

    String redisKey(String client, String schoolId, String key) {
        // hashed: client names, school ids and keys are caller-chosen; the hash keeps the Redis key short and plain
        return prefix + ":idem:{" + sha256(client + "\n" + schoolId + "\n" + key).substring(0, 40) + "}";
    }

    public static String sha256(String s) {
        return sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
