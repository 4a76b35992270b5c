package dev.apiary.alert;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.apiary.common.test.RedisClusterTestServer;

/** An alert on every channel and its SSE progress on Redis Cluster (3 masters, 3 replicas). */
class AlertOnClusterTest extends AlertOnTopologyContract {

    @DynamicPropertySource
    static void cluster(DynamicPropertyRegistry r) {
        RedisClusterTestServer.shared().register(r); // spring.data.redis.cluster.nodes: Boot builds a cluster client
    }

    @Override
    boolean onTopology(LettuceConnectionFactory redis) {
        return redis.getClusterConfiguration() != null;
    }
}
