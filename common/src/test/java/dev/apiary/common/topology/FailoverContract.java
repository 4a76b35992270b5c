package dev.apiary.common.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.apiary.common.queue.QueueSettings;
import dev.apiary.common.queue.WorkQueue;
import dev.apiary.common.queue.WorkQueues;
import dev.apiary.common.test.Await;

/**
 * The failover drill, for topologies with replicas: every master fails over while queues on every master are being
 * consumed. Runs last in its class (the other tests then had the original topology).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class FailoverContract extends TopologyContract {

    static final int PER_STREAM = 150;

    /** Fails over every master and waits until the new topology serves. */
    abstract void failOverEveryMaster();

    /** Stream names whose slots spread over every master (one per master on a cluster). */
    abstract List<String> streamsOnEveryMaster();

    /** Waits until the replicas hold every write made so far (what a failover promotes is what a replica had). */
    abstract void awaitReplicated();

    @Test
    @Order(Integer.MAX_VALUE)
    void failingOverEveryMasterWhileConsumingLosesNoEntryAndTheQueuesRecoverByThemselves() {
        Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
        WorkQueues instance = instance("drill");
        List<WorkQueue> queues = new ArrayList<>();
        for (String s : streamsOnEveryMaster()) {
            // short lease: an acknowledgement the old master took and lost comes back within seconds
            queues.add(instance.declare(QueueSettings.of(s, "workers").withConcurrency(2)
                    .withLease(Duration.ofSeconds(2)).withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)), item -> {
                        Thread.sleep(100); // slow enough that consumption spans the failovers
                        handled.computeIfAbsent(item.field("n"), k -> new AtomicInteger()).incrementAndGet();
                    }));
        }
        List<String> expected = new ArrayList<>();
        for (WorkQueue q : queues) {
            for (int i = 0; i < PER_STREAM; i++) {
                String n = q.settings().stream() + "#" + i;
                q.enqueue(Map.of("n", n));
                expected.add(n);
            }
        }
        awaitReplicated();
        String channel = "apiary:test:signal:drill";
        List<String> signals = subscribe(channel);
        Await.until(Duration.ofSeconds(10), "subscribed", () -> {
            redis.convertAndSend(channel, "probe");
            return signals.contains("probe");
        });
        instance.start();
        Await.until(Duration.ofSeconds(30), "consumption under way", () -> handled.size() >= 10);

        int handledBefore = handled.size();
        assertThat(handledBefore).as("the failovers begin while most entries still wait").isLessThan(expected.size() / 2);
        long t0 = System.nanoTime();
        failOverEveryMaster();
        long failoverMs = (System.nanoTime() - t0) / 1_000_000;
        int handledDuringFailover = handled.size() - handledBefore;

        List<String> after = new ArrayList<>();
        for (WorkQueue q : queues) {
            for (int i = 0; i < 20; i++) {
                String n = q.settings().stream() + "#after-" + i;
                Await.until(Duration.ofSeconds(30), "enqueue works after the failover", () -> {
                    q.enqueue(Map.of("n", n));
                    return true;
                });
                after.add(n);
            }
        }
        Await.until(Duration.ofSeconds(30), "a change signal published after the failover reaches the subscriber", () -> {
            redis.convertAndSend(channel, "after-failover");
            return signals.contains("after-failover");
        });
        Await.until(Duration.ofSeconds(120), "every entry handled, none lost",
                () -> handled.keySet().containsAll(expected) && handled.keySet().containsAll(after));
        Await.until(Duration.ofSeconds(60), "every queue drained: nothing pending, retried or dead",
                () -> queues.stream().allMatch(q -> {
                    var s = q.stats();
                    return s.depth() == 0 && s.pending() == 0 && s.retriesScheduled() == 0;
                }));
        assertThat(queues).allSatisfy(q -> assertThat(q.deadLetterCount()).isZero());
        long twice = handled.values().stream().filter(c -> c.get() > 1).count();
        System.out.printf("failover drill (%s): %d ms of failovers, %d of %d entries handled meanwhile, %d handled "
                + "twice%n", getClass().getSimpleName(), failoverMs, handledDuringFailover, expected.size(), twice);
    }
}
