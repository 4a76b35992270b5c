package dev.apiary.common.testapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.apiary.common.events.EventHub;
import dev.apiary.common.progress.JobStatusStore;
import dev.apiary.common.progress.StateModel;
import dev.apiary.common.test.Await;
import dev.apiary.common.test.RedisTestServer;

/**
 * Issue 15: 50 connected clients that never read do not delay a reading client's events by more than 1 s.
 * Real Redis (each change is a pub/sub signal and a re-read), real HTTP on the embedded server; the 50 are raw
 * sockets with 4 KB receive buffers against 4 KB server send buffers, so their writes really block.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "apiary.security.api-keys=test-key-1", "test.events.buffer=100", "test.tomcat.send-buffer=4096"})
class StalledClientsTest {

    static final String KEY = "test-key-1";
    static final int STALLED = 50;

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

    @Test
    void fiftyClientsThatNeverReadDoNotDelayAReadingClient() throws Exception {
        String id = "stalled";
        String key = StreamTestController.key(id);
        store.delete(key);
        store.create(key, StateModel.of(List.of("queued", "running", "done"), Set.of("done")), Map.of("n", "0"),
                Duration.ofMinutes(5));
        String pad = "x".repeat(8192);
        long droppedBefore = hub.dropped();
        List<StalledClient> stalled = new ArrayList<>();
        try (SseReader reader = SseReader.open(port, "/api/test/v1/fast/" + id + "/events", KEY)) {
            for (int i = 0; i < STALLED; i++) stalled.add(new StalledClient(port, "/api/test/v1/fast/" + id + "/events", KEY));
            Await.until(Duration.ofSeconds(20), "all connected", () -> streams.fast.clients(id) == STALLED + 1);

            List<Long> delays = new ArrayList<>();
            int n = 0;
            // phase 1: 60 changes of 8 KB each; the 50 stop taking them after a few, their backlogs grow
            while (n < 60) delays.add(change(reader, key, ++n, pad));
            int backlog = streams.fast.stats(id).maxBacklog();
            assertThat(streams.fast.clients(id)).isEqualTo(STALLED + 1);
            assertThat(backlog).as("events waiting for the stalled clients").isGreaterThanOrEqualTo(40);

            // phase 2: their buffers (100 events) overflow and they are dropped, the reader is still on time
            while (hub.dropped() - droppedBefore < STALLED && n < 400) delays.add(change(reader, key, ++n, pad));
            assertThat(hub.dropped() - droppedBefore).as("stalled clients dropped").isEqualTo(STALLED);
            Await.until(Duration.ofSeconds(10), "only the reader left", () -> streams.fast.clients(id) == 1);

            long worst = delays.stream().mapToLong(Long::longValue).max().orElseThrow();
            System.out.printf("stalled clients: %d changes, reader delay max %.1f ms, median %.1f ms, backlog %d%n",
                    n, worst / 1e6, delays.stream().sorted().toList().get(delays.size() / 2) / 1e6, backlog);
            assertThat(worst).as("the reader's worst delay, ns").isLessThan(1_000_000_000L);
        } finally {
            for (StalledClient s : stalled) s.close();
        }
    }

    /** Writes change {@code n} and answers how long the reader waited for it. */
    private long change(SseReader reader, String key, int n, String pad) {
        long at = System.nanoTime();
        store.update(key, Map.of("n", String.valueOf(n), "pad", pad));
        SseReader.Received got = reader.await(Duration.ofSeconds(10), "change " + n, e -> e.data().path("n").asInt() == n);
        return got.atNanos() - at;
    }
}
