package dev.apiary.pdf.report;

import dev.apiary.common.test.RedisSentinelTestServer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A report job and its SSE progress under Redis Sentinel (a master, a replica, 3 sentinels). */
class ReportOnSentinelTest extends ReportOnTopologyContract {

    @DynamicPropertySource
    static void sentinel(DynamicPropertyRegistry r) {
        RedisSentinelTestServer.shared().register(r); // spring.data.redis.sentinel.*: Boot connects through Sentinel
    }
}
