package dev.apiary.alert.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/** What reconciliation reads: alerts still active, deliveries sent long ago, and a lock per alert. */
@Component
public class ReconcileStore {
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

    public List<Integer> sentBefore(String id, long beforeMs, int limit) {
        Set<String> s = redis.opsForZSet().rangeByScore(Keys.sentSince(id), 0, beforeMs, 0, limit);
        List<Integer> out = new ArrayList<>();
        if (s != null) {
            s.forEach(v -> out.add(Integer.parseInt(v)));
        }
        return out;
    }

    public boolean lock(String name, Duration ttl) {
        return Boolean.TRUE.equals(redis.opsForValue().setIfAbsent("apiary:alert:lock:" + name, "1", ttl));
    }
}
