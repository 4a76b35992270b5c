package dev.apiary.gradebook.events;

import dev.apiary.common.test.RedisNode;
import dev.apiary.common.test.RedisSentinelTestServer;
import dev.apiary.gradebook.support.LegacyStandIn;
import org.junit.jupiter.api.AfterAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.List;

/** Change events under Redis Sentinel: published on the master. */
class ChangeEventsOnSentinelTest extends ChangeEventsOnTopologyContract {

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
    static void sentinel(DynamicPropertyRegistry r) {
        RedisSentinelTestServer.shared().register(r);
        r.add("apiary.gradebook.legacy-base-url", legacy::baseUrl);
    }

    @Override
    List<RedisNode> publishNodes() {
        return List.of(RedisSentinelTestServer.shared().master());
    }
}
