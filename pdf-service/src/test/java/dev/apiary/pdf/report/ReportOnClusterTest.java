package dev.apiary.pdf.report;

import dev.apiary.common.test.RedisClusterTestServer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A report job and its SSE progress on Redis Cluster (3 masters, 3 replicas). */
class ReportOnClusterTest extends ReportOnTopologyContract {

    @DynamicPropertySource
    static void cluster(DynamicPropertyRegistry r) {
        RedisClusterTestServer.shared().register(r); // spring.data.redis.cluster.nodes: Boot builds a cluster client
    }
}
