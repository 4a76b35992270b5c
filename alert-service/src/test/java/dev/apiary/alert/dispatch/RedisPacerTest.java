package dev.apiary.alert.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.apiary.alert.core.Pace;
import dev.apiary.alert.store.RedisPacer;
import dev.apiary.common.test.RedisTestServer;

/** The GCRA adapter on a real Redis: several instances (own connections) share one schedule per key. */
class RedisPacerTest {
    private final List<LettuceConnectionFactory> factories = new ArrayList<>();

    private RedisPacer instance() {
        RedisTestServer redis = RedisTestServer.shared();
        LettuceConnectionFactory f = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(redis.host(), redis.port()));
        f.afterPropertiesSet();
        f.start();
        factories.add(f);
        return new RedisPacer(new StringRedisTemplate(f));
    }

    @AfterEach
    void close() {
        factories.forEach(LettuceConnectionFactory::destroy);
    }

    @Test
    void twoInstancesReservingOneKeyShareItsSchedule() {
        RedisPacer a = instance();
        RedisPacer b = instance();
        Pace pace = new Pace("test:shared:" + System.nanoTime(), 1000); // 1/s: the schedule stays ahead of the clock
        long t0 = System.nanoTime();
        List<Long> waits = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            waits.add((k % 2 == 0 ? a : b).reserve(pace, 0));
        }
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000 + 2;
        // slot k is k seconds after the first, whichever instance reserved it (less the time the calls took)
        for (int k = 0; k < waits.size(); k++) {
            assertThat(waits.get(k)).as("wait of reservation %d", k).isBetween(k * 1000L - elapsedMs, k * 1000L);
        }
    }

    @Test
    void keysAreIndependentAndABurstRunsAhead() {
        RedisPacer a = instance();
        String run = "test:" + System.nanoTime();
        Pace x = new Pace(run + ":x", 1000);
        Pace y = new Pace(run + ":y", 1000);
        long t0 = System.nanoTime();
        assertThat(a.reserve(x, 0)).isZero();
        assertThat(a.reserve(y, 0)).isZero();
        long second = a.reserve(x, 0);
        long burst = a.reserve(y, 3000); // 2 s behind its schedule: within the burst, at once
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000 + 2;
        assertThat(second).isBetween(1000 - elapsedMs, 1000L);
        assertThat(burst).isZero();
        assertThat(a.reserve(new Pace(run + ":free", 0), 0)).isZero();
    }
}
