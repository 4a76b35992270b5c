package dev.apiary.alert.store;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.springframework.data.redis.connection.RedisZSetCommands;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/** What reconciliation reads: alerts still active, deliveries claimed or sent long ago, and a lock per alert. */
@Component
public class ReconcileStore {
    private static final RedisScript<Long> UNLOCK = RedisScript.of(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", Long.class);
    private final StringRedisTemplate redis;

    public ReconcileStore(StringRedisTemplate redis) {
        this.redis = redis;
    }

    public Set<String> activeAlerts(int limit) {
        Set<String> s = redis.opsForZSet().range(Keys.ACTIVE, 0, limit - 1);
        return s == null ? Set.of() : s;
    }

    public void retire(String id) {
        redis.opsForZSet().remove(Keys.ACTIVE, id);
    }

    /** Deliveries claimed or sent before {@code beforeMs} and not final yet. */
    public List<Integer> unsettledBefore(String id, long beforeMs, int limit) {
        Set<String> s = redis.opsForZSet().rangeByScore(Keys.unsettledSince(id), 0, beforeMs, 0, limit);
        List<Integer> out = new ArrayList<>();
        if (s != null) {
            s.forEach(v -> out.add(Integer.parseInt(v)));
        }
        return out;
    }

    /** Looks at a delivery again one {@code after} later (only while it is unsettled: ZADD XX). */
    public void later(String id, int index, long nowMs) {
        byte[] key = Keys.unsettledSince(id).getBytes(StandardCharsets.UTF_8);
        byte[] member = Integer.toString(index).getBytes(StandardCharsets.UTF_8);
        redis.execute((RedisCallback<Boolean>) c -> c.zSetCommands().zAdd(key, nowMs, member,
                RedisZSetCommands.ZAddArgs.ifExists()));
    }

    /** A lock held until {@link #unlock} or {@code ttl} (a crashed holder): the token to unlock it with, or null. */
    public String lock(String name, Duration ttl) {
        String token = UUID.randomUUID().toString();
        return Boolean.TRUE.equals(redis.opsForValue().setIfAbsent("apiary:alert:lock:" + name, token, ttl))
                ? token : null;
    }

    /** Releases a lock if it is still this holder's (after its ttl another instance may hold it). */
    public void unlock(String name, String token) {
        redis.execute(UNLOCK, List.of("apiary:alert:lock:" + name), token);
    }
}
