package dev.apiary.common.metrics;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code apiary_redis_up}: 1 when this instance's Redis answers a PING, else 0 (the "Redis down" alert rule). The
 * PING runs at scrape time, at most once a second. Once Redis failed to answer (here or in another gauge that reads
 * it, {@link #failed()}), gauges skip Redis for {@link #DOWN_HOLD_NANOS}: a scrape during an outage stays fast instead
 * of paying the command timeout once per gauge.
 */
public final class RedisUpGauge implements MeterBinder {

    private static final long REFRESH_NANOS = 1_000_000_000L;
    static final long DOWN_HOLD_NANOS = 5_000_000_000L;

    private final RedisConnectionFactory connections;
    private long readAt;
    private boolean read;
    private double last;
    private volatile long downSince;
    private volatile boolean down;

    public RedisUpGauge(RedisConnectionFactory connections) {
        this.connections = connections;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("apiary.redis.up", this, RedisUpGauge::value).strongReference(true)
                .description("1 when Redis answers this instance's PING, else 0").register(registry);
    }

    /** A gauge could not read Redis just now. */
    public void failed() {
        downSince = System.nanoTime();
        down = true;
    }

    /** Redis failed to answer within the last few seconds: gauges should not try it again yet. */
    public boolean recentlyDown() {
        return down && System.nanoTime() - downSince < DOWN_HOLD_NANOS;
    }

    private synchronized double value() {
        if (read && System.nanoTime() - readAt < REFRESH_NANOS) return last;
        if (recentlyDown()) {
            last = 0;
        } else {
            try (RedisConnection c = connections.getConnection()) {
                last = "PONG".equalsIgnoreCase(c.ping()) ? 1 : 0;
                down = last == 0;
                if (down) downSince = System.nanoTime();
            } catch (RuntimeException e) {
                last = 0;
                failed();
            }
        }
        read = true;
        readAt = System.nanoTime();
        return last;
    }
}
