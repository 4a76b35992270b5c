package dev.apiary.common.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import dev.apiary.common.progress.JobStatusStore;
import dev.apiary.common.progress.StateModel;
import dev.apiary.common.queue.DeadLetter;
import dev.apiary.common.queue.DeadLetters;
import dev.apiary.common.queue.QueueSettings;
import dev.apiary.common.queue.QueueStats;
import dev.apiary.common.queue.QueueTestAccess;
import dev.apiary.common.queue.WorkHandler;
import dev.apiary.common.queue.WorkQueue;
import dev.apiary.common.queue.WorkQueues;
import dev.apiary.common.test.Await;
import dev.apiary.common.test.RedisNode;
import dev.apiary.common.testapp.TestApp;

/**
 * What common promises, on one Redis topology, through the connection Spring Boot and common's defaults build for it:
 * the work queue (consume, retry, dead letter, reclaim, heartbeat, its stats and dead-letter scripts), job status
 * transitions and their events, pub/sub. One focused test per behaviour; the exhaustive queue cases run on
 * standalone only ({@code WorkQueueTest}).
 */
@SpringBootTest(classes = TestApp.class)
abstract class TopologyContract {

    static final StateModel MODEL = StateModel.of(List.of("queued", "running", "done", "failed"), Set.of("done", "failed"));

    @Autowired
    StringRedisTemplate redis;
    @Autowired
    JobStatusStore store;
    @Autowired
    RedisMessageListenerContainer listeners;

    private final List<WorkQueues> instances = new ArrayList<>();
    private final List<Runnable> cleanups = new ArrayList<>();
    String stream;

    /** The nodes a PUBLISH is sent on, one after the other: every node that passes messages on. */
    abstract List<RedisNode> publishNodes();

    @BeforeEach
    void freshStream() {
        stream = "apiary:test:{topo-" + UUID.randomUUID() + "}";
    }

    @AfterEach
    void stopAll() {
        instances.forEach(WorkQueues::stop);
        instances.clear();
        cleanups.forEach(Runnable::run);
        cleanups.clear();
    }

    WorkQueues instance(String name) {
        WorkQueues qs = new WorkQueues(redis, name);
        instances.add(qs);
        return qs;
    }

    WorkQueue queue(WorkQueues instance, QueueSettings settings, WorkHandler handler) {
        WorkQueue q = instance.declare(settings, handler);
        instance.start();
        return q;
    }

    QueueSettings settings() {
        return QueueSettings.of(stream, "workers").withBackoff(Duration.ofMillis(50), Duration.ofSeconds(1));
    }

    /** Subscribes through the application's listener container (what services use); answers what arrives. */
    List<String> subscribe(String channel) {
        List<String> got = new CopyOnWriteArrayList<>();
        MessageListener l = (message, pattern) -> got.add(new String(message.getBody()));
        ChannelTopic topic = new ChannelTopic(channel);
        listeners.addMessageListener(l, topic);
        cleanups.add(() -> listeners.removeMessageListener(l, topic));
        return got;
    }

    @Test
    void everyEntryIsHandledOnceAcrossTwoInstancesAndAcknowledged() {
        Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        Set<String> instancesUsed = ConcurrentHashMap.newKeySet();
        WorkQueue a = queue(instance("a"), settings(), item -> {
            seen.computeIfAbsent(item.field("n"), k -> new AtomicInteger()).incrementAndGet();
            instancesUsed.add("a");
        });
        queue(instance("b"), settings(), item -> {
            seen.computeIfAbsent(item.field("n"), k -> new AtomicInteger()).incrementAndGet();
            instancesUsed.add("b");
        });
        for (int i = 0; i < 200; i++) a.enqueue(Map.of("n", String.valueOf(i)));

        Await.until(Duration.ofSeconds(30), "200 entries handled and acknowledged",
                () -> seen.size() == 200 && a.stats().pending() == 0 && a.stats().depth() == 0);
        assertThat(seen.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
        assertThat(instancesUsed).containsExactlyInAnyOrder("a", "b");
        assertThat(a.stats()).isEqualTo(new QueueStats(0, 0, null, 0, 0));
    }

    @Test
    void failuresAreRetriedThenDeadLetteredAndADeadLetterRetriedOnceRunsAgain() {
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        Set<String> healed = ConcurrentHashMap.newKeySet();
        List<String> done = new CopyOnWriteArrayList<>();
        WorkQueues instance = instance("a");
        WorkQueue q = queue(instance, settings().withMaxAttempts(2), item -> {
            attempts.add(item.attempt());
            if (!healed.contains(item.field("job"))) throw new IllegalStateException("provider said no");
            done.add(item.field("job") + "@" + item.attempt());
        });
        q.enqueue(Map.of("job", "j1", "school_id", "lakeview"));

        Await.until(Duration.ofSeconds(15), "dead-lettered after 2 attempts", () -> q.deadLetterCount() == 1);
        assertThat(attempts).containsExactly(1, 2);
        QueueStats stats = q.stats();
        assertThat(stats.deadLetters()).isEqualTo(1);
        assertThat(stats.retriesScheduled()).isZero();
        assertThat(stats.depth()).isZero();

        DeadLetters deadLetters = new DeadLetters(redis, instance);
        DeadLetters.Page page = deadLetters.page(null, null, 10, d -> true);
        assertThat(page.items()).hasSize(1);
        DeadLetter dead = page.items().getFirst();
        assertThat(dead.fields()).isEqualTo(Map.of("job", "j1", "school_id", "lakeview"));
        assertThat(dead.error()).isEqualTo("provider said no");
        assertThat(dead.attempts()).isEqualTo(2);

        healed.add("j1");
        DeadLetters.Retry first = deadLetters.retry(dead.id());
        DeadLetters.Retry again = deadLetters.retry(dead.id());
        assertThat(first).isInstanceOfSatisfying(DeadLetters.Requeued.class, r -> assertThat(r.earlier()).isFalse());
        assertThat(again).isInstanceOfSatisfying(DeadLetters.Requeued.class, r -> {
            assertThat(r.earlier()).isTrue();
            assertThat(r.newEntryId()).isEqualTo(((DeadLetters.Requeued) first).newEntryId());
            assertThat(r.schoolId()).isEqualTo("lakeview");
        });
        Await.until(Duration.ofSeconds(10), "the retried entry ran again as attempt 1 and was acknowledged",
                () -> done.equals(List.of("j1@1")) && q.stats().depth() == 0);
        assertThat(q.deadLetterCount()).isZero();
        assertThat(deadLetters.find(dead.id())).isEmpty();
    }

    @Test
    void anEntryOfAKilledConsumerIsReclaimedAfterTheLease() throws Exception {
        QueueSettings s = settings().withLease(Duration.ofMillis(800));
        CountDownLatch taken = new CountDownLatch(1);
        WorkQueue crashed = queue(instance("crashed"), s, item -> {
            taken.countDown();
            new CountDownLatch(1).await(); // hangs until killed
        });
        crashed.enqueue(Map.of("job", "42"));
        assertThat(taken.await(10, TimeUnit.SECONDS)).isTrue();
        QueueTestAccess.kill(crashed);

        List<String> done = new CopyOnWriteArrayList<>();
        List<Integer> crashes = new CopyOnWriteArrayList<>();
        WorkQueue survivor = queue(instance("survivor"), s, item -> {
            crashes.add(item.crashes());
            done.add(item.field("job"));
        });
        Await.until(Duration.ofSeconds(15), "the survivor completes the orphaned entry",
                () -> done.contains("42") && survivor.stats().pending() == 0);
        assertThat(done).containsExactly("42");
        assertThat(crashes).containsExactly(1);
    }

    @Test
    void aSlowHandlerKeepsItsLeaseByHeartbeat() {
        QueueSettings s = settings().withLease(Duration.ofMillis(600));
        List<String> handledBy = new CopyOnWriteArrayList<>();
        WorkQueue slow = queue(instance("slow"), s, item -> {
            handledBy.add("slow");
            Thread.sleep(2500); // four leases long
        });
        slow.enqueue(Map.of("job", "long"));
        Await.until(Duration.ofSeconds(10), "the slow instance took it", () -> handledBy.contains("slow"));
        queue(instance("greedy"), s, item -> handledBy.add("greedy"));

        Await.until(Duration.ofSeconds(15), "the slow job acknowledged",
                () -> slow.stats().pending() == 0 && slow.stats().depth() == 0);
        assertThat(handledBy).containsExactly("slow");
    }

    @Test
    void jobStatusMovesOnlyForwardAndEveryChangeIsPublished() {
        String key = "apiary:test:status:{" + UUID.randomUUID() + "}";
        List<String> events = subscribe(JobStatusStore.channel(key));
        String marker = "marker-" + UUID.randomUUID();

        assertThat(store.create(key, MODEL, Map.of("done", "0"), Duration.ofMinutes(1))).isTrue();
        assertThat(store.create(key, MODEL, Map.of(), Duration.ofMinutes(1))).isFalse();
        assertThat(store.transition(key, "running", Map.of("started_at", "t1"))).isTrue();
        assertThat(store.transition(key, "queued", Map.of())).isFalse();
        assertThat(store.increment(key, "done", 5)).isEqualTo(5);
        assertThat(store.update(key, Map.of("note", "half"))).isTrue();
        assertThat(store.transition(key, "done", Map.of())).isTrue();
        assertThat(store.transition(key, "failed", Map.of("error", "late"))).isFalse();
        redis.convertAndSend(JobStatusStore.channel(key), marker);

        assertThat(store.get(key)).containsEntry("state", "done").containsEntry("done", "5")
                .containsEntry("note", "half").containsEntry("started_at", "t1").doesNotContainKey("error");
        Await.until(Duration.ofSeconds(10), "every change and the marker arrived", () -> events.size() >= 6);
        assertThat(events).as("one event per change, none for a refused one")
                .containsExactlyInAnyOrder("created", "running", "updated", "updated", "done", marker);
    }

    @Test
    void aPublishOnAnyNodeReachesASubscriberWhereverItIsConnected() {
        String channel = "apiary:test:signal:" + UUID.randomUUID();
        List<String> got = subscribe(channel);
        List<String> sent = new ArrayList<>();
        Await.until(Duration.ofSeconds(10), "the subscription is active", () -> {
            // the container subscribes asynchronously: probe until a message arrives
            redis.convertAndSend(channel, "probe");
            return got.contains("probe");
        });
        for (RedisNode node : publishNodes()) {
            String msg = "via-" + node.port();
            node.publish(channel, msg);
            sent.add(msg);
        }
        Await.until(Duration.ofSeconds(10), "a message published on each of " + publishNodes(),
                () -> got.containsAll(sent));
    }
}
