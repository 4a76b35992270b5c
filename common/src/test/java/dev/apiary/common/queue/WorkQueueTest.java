package dev.apiary.common.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.apiary.common.test.Await;
import dev.apiary.common.test.SharedRedisTemplate;

/** The queue's guarantees, each against a real Redis. */
class WorkQueueTest {

    @RegisterExtension
    static final SharedRedisTemplate REDIS = new SharedRedisTemplate();
    final StringRedisTemplate redis = REDIS.template();
    final List<WorkQueue> started = new ArrayList<>();
    String stream;

    @BeforeEach
    void freshStream() {
        stream = "apiary:test:{q-" + UUID.randomUUID() + "}";
    }

    @AfterEach
    void stopAll() {
        started.forEach(q -> {
            try {
                q.stop();
            } catch (RuntimeException ignored) {
                // a killed queue is already stopped
            }
        });
    }

    private WorkQueue queue(QueueSettings s, String instance, WorkHandler h) {
        WorkQueue q = new WorkQueue(redis, s, h, instance);
        started.add(q);
        q.start();
        return q;
    }

    private QueueSettings settings() {
        return QueueSettings.of(stream, "workers").withBackoff(Duration.ofMillis(50), Duration.ofSeconds(1));
    }

    private long pending() {
        var p = redis.opsForStream().pending(stream, "workers");
        return p == null ? 0 : p.getTotalPendingMessages();
    }

    /** XPENDING's "times delivered" of one pending entry. */
    private long deliveryCount(String id) {
        var p = redis.opsForStream().pending(stream, "workers", Range.closed(id, id), 1);
        assertThat(p).as("entry " + id + " pending").hasSize(1);
        return p.get(0).getTotalDeliveryCount();
    }

    private Map<Object, Object> onlyDeadLetter(QueueSettings s) {
        var dead = redis.opsForStream().range(s.deadLetterKey(), Range.unbounded());
        assertThat(dead).hasSize(1);
        return dead.getFirst().getValue();
    }

    /** A handler that "crashes" its instance: it hangs until the test kills (or stops) the instance. */
    private record Deadly(List<Integer> attempts, List<String> abandoned) implements WorkHandler {
        Deadly() {
            this(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        }

        @Override
        public void handle(WorkItem item) throws Exception {
            attempts.add(item.attempt());
            new CountDownLatch(1).await();
        }

        @Override
        public void abandoned(WorkItem item, String reason) {
            abandoned.add(item.field("job") + " " + reason);
        }
    }

    @Test
    void aStoppedQueueStartsAgainAndHandlesWhatCameMeanwhile() {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        WorkQueue q = queue(settings(), "a", item -> seen.add(item.field("n")));
        q.enqueue(Map.of("n", "before"));
        Await.until(Duration.ofSeconds(10), "the first entry handled", () -> seen.contains("before"));

        // Spring pauses a context's lifecycle beans and starts them again (the test context cache does on a switch)
        // (several times: a stop in the middle of a blocking read must not leave that read's entries pending)
        for (int i = 0; i < 8; i++) {
            q.stop();
            assertThat(q.isRunning()).isFalse();
            String n = "while-stopped-" + i;
            q.enqueue(Map.of("n", n));
            q.start();

            assertThat(q.isRunning()).isTrue();
            Await.until(Duration.ofSeconds(5), "the entry added while stopped handled: " + n, () -> seen.contains(n));
        }
        Await.until(Duration.ofSeconds(5), "all acknowledged", () -> pending() == 0);
    }

    @Test
    void everyEntryIsHandledOnceAcrossTwoInstancesAndAcknowledged() {
        Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        Map<String, Set<String>> byInstance = new ConcurrentHashMap<>();
        WorkHandler counting = item -> seen.computeIfAbsent(item.field("n"), k -> new AtomicInteger()).incrementAndGet();
        WorkQueue a = queue(settings().withConcurrency(4), "a",
                item -> { counting.handle(item); byInstance.computeIfAbsent("a", k -> ConcurrentHashMap.newKeySet()).add(item.field("n")); });
        queue(settings().withConcurrency(4), "b",
                item -> { counting.handle(item); byInstance.computeIfAbsent("b", k -> ConcurrentHashMap.newKeySet()).add(item.field("n")); });

        for (int i = 0; i < 300; i++) a.enqueue(Map.of("n", String.valueOf(i)));

        Await.until(Duration.ofSeconds(20), "300 entries handled", () -> seen.size() == 300);
        Await.until(Duration.ofSeconds(5), "all acknowledged", () -> pending() == 0);
        assertThat(seen.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
        assertThat(redis.opsForStream().size(stream)).isZero();
        assertThat(byInstance.keySet()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void anEntryOfADeadConsumerIsReclaimedAfterTheLeaseAndCompletes() throws Exception {
        CountDownLatch taken = new CountDownLatch(1);
        QueueSettings s = settings().withLease(Duration.ofMillis(800));
        WorkQueue crashed = queue(s, "crashed", item -> {
            taken.countDown();
            new CountDownLatch(1).await(); // hangs until killed
        });
        crashed.enqueue(Map.of("job", "42"));
        assertThat(taken.await(5, TimeUnit.SECONDS)).isTrue();
        crashed.kill(); // like kill -9: nothing released, nothing acknowledged

        List<String> doneBy = new CopyOnWriteArrayList<>();
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        List<Integer> crashes = new CopyOnWriteArrayList<>();
        long killedAt = System.nanoTime();
        queue(s, "survivor", item -> {
            attempts.add(item.attempt());
            crashes.add(item.crashes());
            doneBy.add(item.field("job"));
        });
        Await.until(Duration.ofSeconds(10), "survivor completes the orphaned entry", () -> doneBy.contains("42"));
        assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        Await.until(Duration.ofSeconds(5), "acknowledged", () -> pending() == 0);
        assertThat(doneBy).containsExactly("42");
        assertThat(attempts).as("a crash is no failed attempt: attempt() stays 1").containsExactly(1);
        assertThat(crashes).as("but the handler learns its consumer died on it (it may have done part of the work)")
                .containsExactly(1);
    }

    @Test
    void anEntryWhoseConsumersKeepDyingIsDeadLetteredWithoutRunningItAgain() {
        QueueSettings s = settings().withLease(Duration.ofMillis(500)).withMaxAttempts(3);
        Deadly deadly = new Deadly();
        String id = null;
        for (int i = 1; i <= 3; i++) {
            WorkQueue q = queue(s, "victim-" + i, deadly);
            if (i == 1) id = q.enqueue(Map.of("job", "poison"));
            int runs = i;
            Await.until(Duration.ofSeconds(10), "instance " + i + " runs the entry", () -> deadly.attempts().size() == runs);
            q.kill(); // the entry took the JVM down: nothing released, nothing acknowledged
        }
        WorkQueue last = queue(s, "last", deadly);

        Await.until(Duration.ofSeconds(10), "dead-lettered", () -> last.deadLetterCount() == 1);
        assertThat(deadly.attempts()).as("run by the three victims only, each time as attempt 1").containsExactly(1, 1, 1);
        String reason = "abandoned: the consumer handling it died 3 times (crash or kill)";
        assertThat(deadly.abandoned()).containsExactly("poison " + reason);
        assertThat(onlyDeadLetter(s)).containsEntry("job", "poison").containsEntry("_error", reason)
                .containsEntry("_crashes", "3").containsEntry("_attempts", "1").containsEntry("_source_id", id);
        assertThat(pending()).isZero();
        assertThat(redis.opsForStream().size(stream)).isZero();
    }

    @Test
    void aGracefulReleaseIsNoCrashSoReleasesNeverUseUpAnEntry() {
        QueueSettings s = settings().withLease(Duration.ofSeconds(30)).withMaxAttempts(2)
                .withShutdownGrace(Duration.ofMillis(100));
        Deadly hanging = new Deadly();
        String id = null;
        for (int i = 1; i <= 3; i++) { // maxAttempts + 1 graceful stops in a row
            WorkQueue q = queue(s, "leaving-" + i, hanging);
            if (i == 1) id = q.enqueue(Map.of("job", "long"));
            int runs = i;
            Await.until(Duration.ofSeconds(5), "instance " + i + " runs the entry", () -> hanging.attempts().size() == runs);
            q.stop(); // interrupts the handler and releases the entry
            assertThat(deliveryCount(id)).as("released with the count it had before its delivery").isZero();
        }
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        List<Integer> crashes = new CopyOnWriteArrayList<>();
        queue(s, "staying", item -> { crashes.add(item.crashes()); attempts.add(item.attempt()); });

        // far sooner than the 30 s lease: released, not abandoned
        Await.until(Duration.ofSeconds(5), "completed", () -> attempts.size() == 1 && pending() == 0);
        assertThat(attempts).containsExactly(1);
        assertThat(crashes).as("a release is no crash").containsExactly(0);
        assertThat(hanging.attempts()).containsExactly(1, 1, 1);
        assertThat(hanging.abandoned()).isEmpty();
        assertThat(redis.opsForStream().size(s.deadLetterKey())).isZero();
    }

    @Test
    void aReleaseKeepsTheCrashesCountedBeforeIt() {
        QueueSettings s = settings().withLease(Duration.ofMillis(500)).withMaxAttempts(2)
                .withShutdownGrace(Duration.ofMillis(100));
        Deadly deadly = new Deadly();
        WorkQueue first = queue(s, "crashes-1", deadly);
        String id = first.enqueue(Map.of("job", "poison"));
        Await.until(Duration.ofSeconds(5), "first run", () -> deadly.attempts().size() == 1);
        first.kill();
        WorkQueue second = queue(s, "stops", deadly);
        Await.until(Duration.ofSeconds(10), "second run (reclaimed)", () -> deadly.attempts().size() == 2);
        second.stop();
        assertThat(deliveryCount(id)).as("one crash still counted").isEqualTo(1);
        WorkQueue third = queue(s, "crashes-2", deadly);
        Await.until(Duration.ofSeconds(5), "third run (released, taken at once)", () -> deadly.attempts().size() == 3);
        third.kill();
        WorkQueue last = queue(s, "last", deadly);

        Await.until(Duration.ofSeconds(10), "dead-lettered after the second crash", () -> last.deadLetterCount() == 1);
        assertThat(deadly.attempts()).hasSize(3);
        assertThat(deadly.abandoned()).containsExactly("poison abandoned: the consumer handling it died 2 times (crash or kill)");
        assertThat(onlyDeadLetter(s)).containsEntry("_crashes", "2");
    }

    @Test
    void aSlowHandlerKeepsItsLeaseSoALiveInstanceIsNeverRobbed() {
        QueueSettings s = settings().withLease(Duration.ofMillis(600));
        List<String> handledBy = new CopyOnWriteArrayList<>();
        WorkQueue slow = queue(s, "slow", item -> {
            handledBy.add("slow");
            Thread.sleep(3000); // five leases long
        });
        slow.enqueue(Map.of("job", "long"));
        Await.until(Duration.ofSeconds(5), "slow instance took it", () -> handledBy.contains("slow"));
        queue(s, "greedy", item -> handledBy.add("greedy"));

        Await.until(Duration.ofSeconds(10), "slow job acknowledged", () -> pending() == 0 && redis.opsForStream().size(stream) == 0);
        assertThat(handledBy).containsExactly("slow");
    }

    @Test
    void failuresAreRetriedWithExponentialBackoffThenDeadLettered() {
        List<Long> attemptTimes = new CopyOnWriteArrayList<>();
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        QueueSettings s = settings().withMaxAttempts(4).withBackoff(Duration.ofMillis(150), Duration.ofSeconds(5));
        WorkQueue q = queue(s, "a", item -> {
            attemptTimes.add(System.nanoTime());
            attempts.add(item.attempt());
            throw new IllegalStateException("provider said no #" + item.attempt());
        });
        q.enqueue(Map.of("job", "doomed"));

        Await.until(Duration.ofSeconds(10), "dead-lettered", () -> q.deadLetterCount() == 1);
        assertThat(attempts).containsExactly(1, 2, 3, 4);
        List<Long> gapsMs = new ArrayList<>();
        for (int i = 1; i < attemptTimes.size(); i++) gapsMs.add((attemptTimes.get(i) - attemptTimes.get(i - 1)) / 1_000_000);
        assertThat(gapsMs.get(0)).isGreaterThanOrEqualTo(150);
        assertThat(gapsMs.get(1)).isGreaterThanOrEqualTo(300);
        assertThat(gapsMs.get(2)).isGreaterThanOrEqualTo(600);

        Map<Object, Object> fields = onlyDeadLetter(s);
        assertThat(fields).containsEntry("job", "doomed").containsEntry("_error", "provider said no #4")
                .containsEntry("_attempts", "4");
        assertThat(pending()).isZero();
        assertThat(redis.opsForZSet().size(s.retryKey())).isZero();
    }

    @Test
    void aTransientFailureSucceedsOnRetryAndAPermanentOneIsDeadLetteredAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        List<String> done = new CopyOnWriteArrayList<>();
        WorkQueue q = queue(settings(), "a", item -> {
            if (item.field("kind").equals("permanent")) {
                calls.incrementAndGet();
                throw new PermanentFailure("invalid number");
            }
            if (item.attempt() == 1) throw new IllegalStateException("timeout");
            done.add(item.field("kind"));
        });
        q.enqueue(Map.of("kind", "transient"));
        q.enqueue(Map.of("kind", "permanent"));
        Await.until(Duration.ofSeconds(10), "transient done and permanent dead",
                () -> done.contains("transient") && q.deadLetterCount() == 1);
        assertThat(calls.get()).isEqualTo(1);
        assertThat(done).containsExactly("transient");
    }

    @Test
    void deadLettersAreBoundedByLengthOnEveryAddAndByAgeWhenTrimmed() {
        QueueSettings s = settings();
        WorkQueue q = new WorkQueue(redis, s, item -> {
            throw new PermanentFailure("bad entry " + item.field("n"));
        }, "a", new DeadLetterLimits(3, Duration.ofHours(1), Duration.ofMinutes(1)), QueueObserver.NONE);
        started.add(q);
        q.start();
        for (int i = 1; i <= 5; i++) {
            q.enqueue(Map.of("n", String.valueOf(i)));
            int n = i;
            Await.until(Duration.ofSeconds(10), "entry " + i + " dead-lettered",
                    () -> redis.opsForStream().range(s.deadLetterKey(), Range.unbounded()).stream()
                            .anyMatch(r -> String.valueOf(n).equals(r.getValue().get("n"))));
        }
        var kept = redis.opsForStream().range(s.deadLetterKey(), Range.unbounded());
        assertThat(kept.stream().map(r -> r.getValue().get("n")).toList()).as("the newest 3").containsExactly("3", "4", "5");

        // by age: a dead-letter stream holding one entry from two hours ago (ids are times) and a recent one
        String dead = "apiary:test:{q-" + UUID.randomUUID() + "}:dead";
        long twoHoursAgo = System.currentTimeMillis() - Duration.ofHours(2).toMillis();
        redis.opsForStream().add(StreamRecords.string(Map.of("n", "old")).withStreamKey(dead)
                .withId(RecordId.of(twoHoursAgo + "-0")));
        redis.opsForStream().add(StreamRecords.string(Map.of("n", "recent")).withStreamKey(dead));
        WorkQueue other = new WorkQueue(redis, QueueSettings.of(dead.substring(0, dead.length() - ":dead".length()), "w"),
                item -> { }, "a", new DeadLetterLimits(3, Duration.ofHours(1), Duration.ofMinutes(1)), QueueObserver.NONE);
        assertThat(other.trimDeadLetters()).isEqualTo(1);
        assertThat(redis.opsForStream().range(dead, Range.unbounded()).stream().map(r -> r.getValue().get("n")).toList())
                .containsExactly("recent");
    }

    @Test
    void gracefulStopFinishesRunningWorkAndTakesNoMore() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        List<String> finished = Collections.synchronizedList(new ArrayList<>());
        WorkQueue q = queue(settings().withShutdownGrace(Duration.ofSeconds(5)), "a", item -> {
            inside.countDown();
            Thread.sleep(400);
            finished.add(item.field("job"));
        });
        q.enqueue(Map.of("job", "in-flight"));
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        q.stop();
        assertThat(finished).containsExactly("in-flight");
        assertThat(pending()).isZero();

        q.enqueue(Map.of("job", "after-stop"));
        // the stopped instance must not take it: it stays in the stream, undelivered
        Thread.sleep(700); // longer than one blocking read; nothing may change during it
        assertThat(finished).containsExactly("in-flight");
        assertThat(pending()).isZero();
        assertThat(redis.opsForStream().size(stream)).isEqualTo(1);
    }

    @Test
    void stopReleasesWhatItCannotFinishSoAnotherInstanceTakesItAtOnce() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        QueueSettings s = settings().withLease(Duration.ofSeconds(30)).withShutdownGrace(Duration.ofMillis(200));
        WorkQueue q = queue(s, "leaving", item -> {
            inside.countDown();
            new CountDownLatch(1).await(); // interrupted by the stop
        });
        q.enqueue(Map.of("job", "handed-over"));
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        q.stop();

        List<String> done = new CopyOnWriteArrayList<>();
        queue(s, "staying", item -> done.add(item.field("job")));
        // far sooner than the 30 s lease: the entry was released, not abandoned
        Await.until(Duration.ofSeconds(5), "released entry taken over", () -> done.contains("handed-over"));
    }
}
