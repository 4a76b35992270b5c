package dev.apiary.common.topology;

import java.util.List;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.apiary.common.test.RedisNode;
import dev.apiary.common.test.RedisTestServer;

/** The common pieces on a standalone Redis (the default). */
class StandaloneTopologyTest extends TopologyContract {

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry r) {
        RedisTestServer.shared().register(r);
    }

    @Override
    List<RedisNode> publishNodes() {
        RedisTestServer s = RedisTestServer.shared();
        return List.of(new RedisNode(s.host(), s.port()));
    }
}
