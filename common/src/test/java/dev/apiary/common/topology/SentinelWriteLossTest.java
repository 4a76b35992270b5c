package dev.apiary.common.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.apiary.common.config.RedisMasterSwitched;
import dev.apiary.common.test.Await;
import dev.apiary.common.test.RedisNode;
import dev.apiary.common.test.RedisSentinelTestServer;
import dev.apiary.common.testapp.TestApp;
import io.lettuce.core.ReadFrom;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.masterreplica.MasterReplica;
import io.lettuce.core.masterreplica.StatefulRedisMasterReplicaConnection;

/**
 * Writes acknowledged during a {@code SENTINEL FAILOVER} and lost afterwards. A writer adds numbers to a set one after
 * the other (a refused write is tried again until acknowledged) while the master fails over; afterwards each
 * acknowledged number is looked up on the new master. Sentinel promotes the replica first and announces the switch
 * after that ({@code +switch-master}): whatever the old master takes meanwhile is dropped when Sentinel turns it into
 * a replica, ~10 s later. Writes before the announcement are lost on any client (asynchronous replication); after it,
 * common's connection writes to the new master at once, while Lettuce's own master/replica connection went on
 * writing to the old one.
 */
@SpringBootTest(classes = TestApp.class)
@Import(SentinelWriteLossTest.Listen.class)
class SentinelWriteLossTest {

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry r) {
        RedisSentinelTestServer.shared().register(r);
    }

    @Autowired
    StringRedisTemplate redis;
    @Autowired
    Switches switches;

    /** The switches common announced. */
    static class Switches {
        final List<RedisMasterSwitched> seen = new CopyOnWriteArrayList<>();

        @EventListener
        void on(RedisMasterSwitched e) {
            seen.add(e);
        }
    }

    @TestConfiguration
    static class Listen {
        @Bean
        Switches switches() {
            return new Switches();
        }
    }

    @Test
    void commonsConnectionLosesNoWriteAcknowledgedAfterTheSwitchWasAnnounced() {
        RedisNode before = RedisSentinelTestServer.shared().master();
        String key = "apiary:test:{wl-" + UUID.randomUUID() + "}";
        Result r = writeDuringFailover("common's connection", key, n -> redis.opsForSet().add(key, n));
        RedisNode after = RedisSentinelTestServer.shared().master();

        assertThat(switches.seen).as("common announced the switch")
                .contains(new RedisMasterSwitched(RedisSentinelTestServer.MASTER_NAME, before.address(), after.address()));
        // the one write in flight when the connection was dropped may have been taken by the old master
        assertThat(r.lostAfterSwitch()).as("writes acknowledged after the announcement and lost").isLessThanOrEqualTo(1);
        assertThat(r.acknowledgedAfterSwitch()).isGreaterThan(100);
    }

    @Test
    void lettucesOwnMasterReplicaConnectionLosesWritesAcknowledgedAfterTheSwitch() {
        RedisSentinelTestServer s = RedisSentinelTestServer.shared();
        RedisURI.Builder uri = RedisURI.builder().withTimeout(Duration.ofSeconds(2))
                .withSentinelMasterId(RedisSentinelTestServer.MASTER_NAME);
        s.sentinels().forEach(n -> uri.withSentinel(n.host(), n.port()));
        RedisClient client = RedisClient.create();
        try (StatefulRedisMasterReplicaConnection<String, String> c =
                MasterReplica.connect(client, StringCodec.UTF8, uri.build())) {
            c.setReadFrom(ReadFrom.UPSTREAM); // what Boot builds under Sentinel with common's defaults
            String key = "apiary:test:{wl-" + UUID.randomUUID() + "}";
            Result r = writeDuringFailover("Lettuce's master/replica connection", key, n -> c.sync().sadd(key, n));
            assertThat(r.lostAfterSwitch()).as("writes acknowledged after the announcement and lost").isPositive();
        } finally {
            client.shutdown();
        }
    }

    record Result(int acknowledged, int lost, int acknowledgedAfterSwitch, int lostAfterSwitch) {
    }

    private Result writeDuringFailover(String what, String key, Consumer<String> write) {
        RedisSentinelTestServer s = RedisSentinelTestServer.shared();
        s.awaitHealthy(Duration.ofSeconds(90));
        int switchesBefore = switches.seen.size();
        Map<String, Boolean> acknowledged = new ConcurrentHashMap<>(); // number -> acknowledged after the announcement
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = Thread.ofVirtual().start(() -> {
            int n = 0;
            while (!stop.get()) {
                String v = String.valueOf(n);
                try {
                    write.accept(v);
                    acknowledged.put(v, switches.seen.size() > switchesBefore);
                    n++;
                } catch (RuntimeException e) {
                    sleep(5);
                }
            }
        });
        Await.until(Duration.ofSeconds(10), "writing", () -> acknowledged.size() > 100);
        s.failover(); // returns once Sentinel has turned the old master into the new one's replica
        int afterFailover = acknowledged.size();
        Await.until(Duration.ofSeconds(30), "writes go on after the failover", () -> acknowledged.size() > afterFailover + 100);
        stop.set(true);
        try {
            writer.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        s.awaitReplicated(Duration.ofSeconds(30));
        var kept = s.master().call(c -> c.smembers(key));
        int lost = 0, afterSwitch = 0, lostAfterSwitch = 0;
        for (var e : acknowledged.entrySet()) {
            boolean gone = !kept.contains(e.getKey());
            if (gone) lost++;
            if (e.getValue()) {
                afterSwitch++;
                if (gone) lostAfterSwitch++;
            }
        }
        System.out.printf("sentinel failover, %s: %d writes acknowledged, %d lost; after the switch was announced %d "
                + "acknowledged, %d lost%n", what, acknowledged.size(), lost, afterSwitch, lostAfterSwitch);
        return new Result(acknowledged.size(), lost, afterSwitch, lostAfterSwitch);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
