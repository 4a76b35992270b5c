package dev.apiary.common.topology;

import java.time.Duration;
import java.util.List;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.apiary.common.test.RedisNode;
import dev.apiary.common.test.RedisSentinelTestServer;

/** The common pieces under Redis Sentinel (a master, a replica, 3 sentinels), and a failover. */
class SentinelTopologyTest extends FailoverContract {

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry r) {
        RedisSentinelTestServer.shared().register(r);
    }

    @Override
    List<RedisNode> publishNodes() {
        return List.of(RedisSentinelTestServer.shared().master());
    }

    @Override
    void failOverEveryMaster() {
        RedisSentinelTestServer.shared().failover();
    }

    @Override
    List<String> streamsOnEveryMaster() {
        return List.of(stream + ":a", stream + ":b", stream + ":c");
    }

    @Override
    void awaitReplicated() {
        RedisSentinelTestServer.shared().awaitReplicated(Duration.ofSeconds(30));
    }
}
