package dev.apiary.alert;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.apiary.common.test.RedisSentinelTestServer;

/** An alert on every channel and its SSE progress under Redis Sentinel (a master, a replica, 3 sentinels). */
class AlertOnSentinelTest extends AlertOnTopologyContract {

    @DynamicPropertySource
    static void sentinel(DynamicPropertyRegistry r) {
        RedisSentinelTestServer.shared().register(r); // spring.data.redis.sentinel.*: Boot connects through Sentinel
    }

    @Override
    boolean onTopology(LettuceConnectionFactory redis) {
        return redis.getSentinelConfiguration() != null;
    }
}
