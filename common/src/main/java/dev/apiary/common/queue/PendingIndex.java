package dev.apiary.common.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Jobs whose first dispatch is not confirmed yet: a sorted set of ids scored by when they were marked. A create marks
 * its job before it writes anything and unmarks it once the job's first units are queued, so the set holds only
 * dispatches a crash or an error cut short and a {@link #sweep} over it is cheap; what finishing such a job means is
 * the service's (the handler).
 * <p>
 * Cluster safe: one key per command, no MULTI. Instances sweeping at once take an entry by moving its score forward in
 * a one-key script, so one of them handles it; if that one dies (or its handler throws) the entry comes due again a
 * grace later.
 */
public final class PendingIndex {
    private static final int BATCH = 100;
    /** KEYS: the index. ARGV: id, cutoff ms, now ms. 1 when the entry was due and is now this caller's. */
    private static final RedisScript<Long> TAKE = RedisScript.of("""
            local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
            if not s or tonumber(s) > tonumber(ARGV[2]) then return 0 end
            redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
            return 1
            """, Long.class);

    private final StringRedisTemplate redis;
    private final String key;

    public PendingIndex(StringRedisTemplate redis, String key) {
        this.redis = redis;
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** Before anything of {@code id} is written: its dispatch is not confirmed yet. */
    public void markPending(String id) {
        redis.opsForZSet().add(key, id, System.currentTimeMillis());
    }

    /** The first units of {@code id} are queued (or it will never need them). */
    public void markDone(String id) {
        redis.opsForZSet().remove(key, id);
    }

    /**
     * Hands each entry marked before {@code now - grace} (at most 100 a call) that this instance takes to
     * {@code finish}, then removes it; answers how many {@code finish} answered true for. An exception from
     * {@code finish} ends the sweep and leaves that entry to come due again.
     */
    public int sweep(Instant now, Duration grace, Predicate<String> finish) {
        long cutoff = now.minus(grace).toEpochMilli();
        Set<String> due = redis.opsForZSet().rangeByScore(key, Double.NEGATIVE_INFINITY, cutoff, 0, BATCH);
        int count = 0;
        for (String id : due == null ? Set.<String>of() : due) {
            Long taken = redis.execute(TAKE, List.of(key), id, Long.toString(cutoff), Long.toString(now.toEpochMilli()));
            if (taken == null || taken != 1L) {
                continue;   // another instance has it
            }
            if (finish.test(id)) {
                count++;
            }
            markDone(id);
        }
        return count;
    }
}
