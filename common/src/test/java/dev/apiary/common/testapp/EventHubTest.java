package dev.apiary.common.testapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.apiary.common.events.Event;
import dev.apiary.common.events.EventHub;
import dev.apiary.common.progress.JobStatusStore;
import dev.apiary.common.progress.StateModel;
import dev.apiary.common.test.Await;
import dev.apiary.common.test.RedisTestServer;

/** The event hub over real HTTP connections and a real Redis, one behaviour per test. */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "apiary.security.api-keys=test-key-1", "test.events.buffer=8", "test.tomcat.send-buffer=4096",
        "apiary.events.drop-grace=30s"})
class EventHubTest {

    static final String KEY = "test-key-1";
    @SuppressWarnings("rawtypes")
    static final RedisScript<List> NUMSUB = RedisScript.of("return redis.call('PUBSUB', 'NUMSUB', KEYS[1])", List.class);
    static final StateModel MODEL = StateModel.of(List.of("queued", "running", "done", "failed"), Set.of("done", "failed"));

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry r) {
        RedisTestServer.shared().register(r);
    }

    @LocalServerPort
    int port;
    @Autowired
    JobStatusStore store;
    @Autowired
    StreamTestController streams;
    @Autowired
    EventHub hub;
    @Autowired
    StringRedisTemplate redis;

    private void job(String id, Map<String, String> fields) {
        store.delete(StreamTestController.key(id));
        store.create(StreamTestController.key(id), MODEL, fields, Duration.ofMinutes(5));
        store.transition(StreamTestController.key(id), "running", Map.of());
    }

    private long subscribers(String id) {
        String channel = JobStatusStore.channel(StreamTestController.key(id));
        List<?> reply = redis.execute(NUMSUB, List.of(channel));
        return (Long) reply.get(1);
    }

    @Test
    void aClientSeesTheCurrentStateOnConnectThenEveryChangeThenTheFinalStateAndTheStreamEnds() throws Exception {
        job("j1", Map.of("done", "0"));
        store.increment(StreamTestController.key("j1"), "done", 7);
        try (SseReader sse = SseReader.open(port, "/api/test/v1/status/j1/events", KEY)) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.contentType()).startsWith("text/event-stream");
            assertThat(sse.header("X-Accel-Buffering")).isEqualTo("no");
            SseReader.Received first = sse.await(Duration.ofSeconds(5), "first event", e -> true);
            assertThat(first.name()).isEqualTo("status");
            assertThat(first.data().get("state").asString()).isEqualTo("running");
            assertThat(first.data().get("done").asInt()).isEqualTo(7);
            assertThat(subscribers("j1")).isEqualTo(1);

            store.increment(StreamTestController.key("j1"), "done", 1);
            sse.await(Duration.ofSeconds(5), "done 8", e -> e.data().get("done").asInt() == 8);
            store.increment(StreamTestController.key("j1"), "done", 2);
            store.transition(StreamTestController.key("j1"), "done", Map.of());
            sse.awaitEnd(Duration.ofSeconds(10)); // the server ends the stream after the final state
            List<SseReader.Received> events = sse.events();
            assertThat(events.getLast().data().get("state").asString()).isEqualTo("done");
            assertThat(events.getLast().data().get("done").asInt()).isEqualTo(10);
            assertThat(events.stream().map(e -> e.data().get("done").asInt()).toList()).isSorted();
            assertThat(events).extracting(SseReader.Received::name).containsOnly("status");
        }
        // nothing left behind: no client, no Redis subscription
        Await.until(Duration.ofSeconds(5), "stream released", () -> streams.status.clients("j1") == 0 && subscribers("j1") == 0);
        // a client arriving after the end gets the final state and the end at once
        try (SseReader late = SseReader.open(port, "/api/test/v1/status/j1/events", KEY)) {
            late.awaitEnd(Duration.ofSeconds(5));
            assertThat(late.events()).hasSize(1);
            assertThat(late.events().getFirst().data().get("state").asString()).isEqualTo("done");
        }
    }

    @Test
    void eventsOfAnUnknownJobAreA404AndLeaveNothingBehind() throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port
                + "/api/test/v1/status/missing/events").toURL().openConnection();
        c.setRequestProperty("Authorization", "Bearer " + KEY);
        assertThat(c.getResponseCode()).isEqualTo(404);
        assertThat(c.getContentType()).startsWith("application/problem+json");
        assertThat(streams.status.stats("missing").clients()).isZero();
        assertThat(subscribers("missing")).isZero();
    }

    @Test
    void aBurstOfChangesIsCoalescedToAtMostFourEventsASecond() throws Exception {
        job("burst", Map.of("done", "0"));
        try (SseReader sse = SseReader.open(port, "/api/test/v1/status/burst/events", KEY)) {
            sse.await(Duration.ofSeconds(5), "first event", e -> true);
            long t0 = System.nanoTime();
            for (int i = 0; i < 300; i++) store.increment(StreamTestController.key("burst"), "done", 1);
            store.transition(StreamTestController.key("burst"), "done", Map.of());
            double burstSeconds = (System.nanoTime() - t0) / 1e9;
            sse.awaitEnd(Duration.ofSeconds(10));
            List<SseReader.Received> events = sse.events();
            assertThat(events.getLast().data().get("state").asString()).isEqualTo("done");
            assertThat(events.getLast().data().get("done").asInt()).isEqualTo(300);
            // sends are >= 250 ms apart: during the burst at most one per 250 ms, plus one after it
            int changes = events.size() - 1;
            assertThat(changes).as("events for 301 changes in %.2f s", burstSeconds)
                    .isLessThanOrEqualTo((int) Math.floor(burstSeconds / 0.25) + 2);
            assertThat(events.stream().map(e -> e.data().get("done").asInt()).toList()).isSorted();
        }
    }

    @Test
    void anIdleStreamGetsHeartbeats() throws Exception {
        job("idle", Map.of());
        try (SseReader sse = SseReader.open(port, "/api/test/v1/beat/idle/events", KEY)) {
            sse.await(Duration.ofSeconds(5), "first event", e -> true);
            Await.until(Duration.ofSeconds(10), "three heartbeats", () -> sse.comments() >= 3);
            assertThat(sse.events()).hasSize(1);
            assertThat(sse.ended()).isFalse();
        }
    }

    @Test
    void aSubscribersDeadlineEndsItsStreamOnly() throws Exception {
        job("deadline", Map.of());
        try (SseReader open = SseReader.open(port, "/api/test/v1/fast/deadline/events", KEY);
             SseReader limited = SseReader.open(port, "/api/test/v1/fast/deadline/events?ends_in_ms=1000", KEY)) {
            limited.await(Duration.ofSeconds(5), "first event", e -> true);
            limited.awaitEnd(Duration.ofSeconds(10));
            assertThat(limited.endedAfterNanos()).as("not before its deadline").isGreaterThanOrEqualTo(900_000_000L);
            SseReader.Received last = limited.events().getLast();
            assertThat(last.name()).isEqualTo("end");
            assertThat(last.data().get("reason").asString()).isEqualTo("expired");
            assertThat(open.ended()).isFalse();
            Await.until(Duration.ofSeconds(5), "one client left", () -> streams.fast.clients("deadline") == 1);
            store.increment(StreamTestController.key("deadline"), "done", 1);
            open.await(Duration.ofSeconds(5), "the other client still gets changes", e -> e.data().path("done").asInt() == 1);
        }
    }

    @Test
    void topicEventsAreCoalescedByKeyAndKeepTheirOrder() throws Exception {
        try (SseReader sse = SseReader.open(port, "/api/test/v1/topics/t1/events", KEY)) {
            SseReader.Received ready = sse.await(Duration.ofSeconds(5), "ready", e -> e.name().equals("ready"));
            assertThat(ready.data().get("id").asString()).isEqualTo("t1");
            for (int i = 0; i < 50; i++) streams.topic.publish("t1", Event.of("score", Map.of("n", i)).coalescing("s1"));
            streams.topic.publish("t1", Event.of("reload", Map.of("why", "roster")).coalescing("reload"));
            streams.topic.publish("t1", Event.of("score", Map.of("n", 100)).coalescing("s2"));
            streams.topic.publish("other", Event.of("score", Map.of("n", 1))); // nobody listens: dropped
            sse.await(Duration.ofSeconds(10), "the last event", e -> e.data().path("n").asInt() == 100);
            List<SseReader.Received> events = sse.events();
            List<SseReader.Received> last3 = events.subList(events.size() - 3, events.size());
            assertThat(last3).extracting(SseReader.Received::name).containsExactly("score", "reload", "score");
            assertThat(last3.getFirst().data().get("n").asInt()).isEqualTo(49);
            List<Integer> s1 = events.stream().filter(e -> e.name().equals("score")).map(e -> e.data().get("n").asInt())
                    .filter(n -> n < 100).toList();
            assertThat(s1).as("superseded events are not sent").hasSizeLessThan(50).isSorted();
        }
    }

    @Test
    void aClientThatFallsBehindIsDroppedWithALastEventAndOthersAreNotHeldUp() throws Exception {
        job("lag", Map.of("n", "0"));
        String pad = "x".repeat(8192);
        long droppedBefore = hub.dropped();
        try (SseReader reader = SseReader.open(port, "/api/test/v1/fast/lag/events", KEY);
             StalledClient stalled = new StalledClient(port, "/api/test/v1/fast/lag/events", KEY)) {
            Await.until(Duration.ofSeconds(5), "both connected", () -> streams.fast.clients("lag") == 2);
            int[] n = {0};
            // each change is an 8 KB event: the stalled client's socket fills, then its buffer of 8, then it is dropped
            Await.until(Duration.ofSeconds(30), "the stalled client dropped", () -> {
                n[0]++;
                store.update(StreamTestController.key("lag"), Map.of("n", String.valueOf(n[0]), "pad", pad));
                reader.await(Duration.ofSeconds(5), "event " + n[0], e -> e.data().path("n").asInt() == n[0]);
                return hub.dropped() > droppedBefore;
            });
            assertThat(streams.fast.clients("lag")).isEqualTo(1);
            // reading at last, the dropped client finds its last event, then the end of the response
            String got = stalled.readToEnd();
            assertThat(got).endsWith("event:end\ndata:{\"reason\":\"lagging\"}\n\n\r\n0\r\n\r\n");
            assertThat(got.split("event:status", -1).length - 1).as("status events it got").isLessThan(n[0]);
        }
    }

    @Test
    void aChangeMadeOnOneInstanceReachesClientsOfAnother() throws Exception {
        job("multi", Map.of());
        try (ConfigurableApplicationContext other = SpringApplication.run(TestApp.class, "--server.port=0",
                "--apiary.dev-mode=true", "--apiary.security.api-keys=" + KEY,
                "--spring.data.redis.host=" + RedisTestServer.shared().host(),
                "--spring.data.redis.port=" + RedisTestServer.shared().port())) {
            int otherPort = ((WebServerApplicationContext) other).getWebServer().getPort();
            try (SseReader here = SseReader.open(port, "/api/test/v1/fast/multi/events", KEY);
                 SseReader there = SseReader.open(otherPort, "/api/test/v1/fast/multi/events", KEY)) {
                here.await(Duration.ofSeconds(5), "first event here", e -> true);
                there.await(Duration.ofSeconds(5), "first event there", e -> true);
                // the other instance writes; this one learns of it from Redis, as the other's own clients do
                other.getBean(JobStatusStore.class).increment(StreamTestController.key("multi"), "done", 5);
                here.await(Duration.ofSeconds(5), "change here", e -> e.data().path("done").asInt() == 5);
                there.await(Duration.ofSeconds(5), "change there", e -> e.data().path("done").asInt() == 5);
                assertThat(subscribers("multi")).as("one subscription per instance").isEqualTo(2);
            }
        }
    }
}
