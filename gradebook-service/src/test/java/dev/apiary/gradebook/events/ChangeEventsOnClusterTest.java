package dev.apiary.gradebook.events;

import dev.apiary.common.test.RedisClusterTestServer;
import dev.apiary.common.test.RedisNode;
import dev.apiary.gradebook.support.LegacyStandIn;
import org.junit.jupiter.api.AfterAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.List;

/** Change events on Redis Cluster: plain pub/sub, a PUBLISH on any of the 6 nodes reaches the subscriber. */
class ChangeEventsOnClusterTest extends ChangeEventsOnTopologyContract {

    static final LegacyStandIn legacy = new LegacyStandIn();

    @AfterAll
    static void stopLegacy() {
        legacy.close();
    }

    @Override
    LegacyStandIn legacy() {
        return legacy;
    }

    @DynamicPropertySource
    static void cluster(DynamicPropertyRegistry r) {
        RedisClusterTestServer.shared().register(r);
        r.add("apiary.gradebook.legacy-base-url", legacy::baseUrl);
    }

    @Override
    List<RedisNode> publishNodes() {
        return RedisClusterTestServer.shared().nodes();
    }
}
