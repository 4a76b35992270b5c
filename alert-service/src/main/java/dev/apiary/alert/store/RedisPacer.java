package dev.apiary.alert.store;

import java.util.List;
import java.util.Locale;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import dev.apiary.alert.core.Gcra;
import dev.apiary.alert.core.Pace;

/**
 * {@link Gcra} in Redis: one schedule per {@link Pace#key()} shared by every instance. The script is
 * {@link Gcra#reserve} on Redis's clock (one key, one round trip, works on Redis Cluster).
 */
@Component
public class RedisPacer {
    /** KEYS: the schedule. ARGV: cost ms, burst ms. Stores the new TAT; answers the ms to wait. */
    static final RedisScript<Long> RESERVE = RedisScript.of("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
            local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
            local start = math.max(tat, now)
            local nt = start + tonumber(ARGV[1])
            redis.call('SET', KEYS[1], string.format('%.3f', nt), 'PX', math.ceil(nt - now) + 1000)
            local wait = start - tonumber(ARGV[2]) - now
            if wait <= 0 then return 0 end
            return math.floor(wait)
            """, Long.class);

    private final StringRedisTemplate redis;

    public RedisPacer(StringRedisTemplate redis) {
        this.redis = redis;
    }

    /** Reserves one use of {@code pace}'s schedule: the milliseconds to wait before using it. */
    public long reserve(Pace pace, double burstMs) {
        if (pace.costMs() <= 0) {
            return 0;
        }
        Long wait = redis.execute(RESERVE, List.of(Keys.pace(pace.key())),
                String.format(Locale.ROOT, "%.3f", pace.costMs()), String.format(Locale.ROOT, "%.3f", burstMs));
        return wait == null ? 0 : Math.max(0, wait);
    }

    /** Reserves strictly paced (no burst) and sleeps until the slot. */
    public void await(Pace pace) throws InterruptedException {
        long wait = reserve(pace, 0);
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }
}
