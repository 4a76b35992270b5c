package dev.apiary.common.topology;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.apiary.common.test.RedisClusterTestServer;
import dev.apiary.common.test.RedisNode;

/** The common pieces on a Redis Cluster (3 masters, 3 replicas), and a failover of every master. */
class ClusterTopologyTest extends FailoverContract {

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry r) {
        RedisClusterTestServer.shared().register(r);
    }

    /** Every node, masters and replicas: a cluster passes a PUBLISH on any of them to subscribers on all. */
    @Override
    List<RedisNode> publishNodes() {
        return RedisClusterTestServer.shared().nodes();
    }

    @Override
    void failOverEveryMaster() {
        RedisClusterTestServer.shared().failoverAllMasters();
    }

    /** One stream per master: hash tags tried until every master serves one. */
    @Override
    List<String> streamsOnEveryMaster() {
        RedisClusterTestServer cluster = RedisClusterTestServer.shared();
        Set<RedisNode> covered = new LinkedHashSet<>();
        List<String> streams = new ArrayList<>();
        for (int i = 0; covered.size() < 3; i++) {
            String s = "apiary:test:{drill-" + i + "}";
            if (covered.add(cluster.masterOf(s))) streams.add(s);
        }
        return streams;
    }

    @Override
    void awaitReplicated() {
        // nothing to wait for: CLUSTER FAILOVER waits until the replica has every write of its master
    }
}
